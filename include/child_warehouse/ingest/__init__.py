"""Ingestion: read a submission file in any form the contract allows and COPY it into raw.*."""
