"""The function each worker process runs for one new province; everything it holds is that province."""

from __future__ import annotations

from datetime import timedelta

from child_warehouse.synth.geography import load_geography
from child_warehouse.synth.periods import parse_period
from child_warehouse.synth.province import build_province, draw_movers
from child_warehouse.synth.province_files import (
    Job,
    Parts,
    Result,
    period_cases,
    register_elsewhere,
    register_rows,
)
from child_warehouse.synth.submit import Context, write_period


def run_job(job: Job) -> Result:
    geo = load_geography(job.since)
    movers = draw_movers(job.seed, geo, job.window, job.movers)
    prov = build_province(job.seed, geo, job.code, job.slot, window=job.window, movers=movers)
    periods = [parse_period(label) for label in job.periods]
    cases = period_cases(job, prov, periods)
    result = Result(job.code, persons=len(prov.people))
    parts = Parts(job.parts / job.code)
    try:
        extract = (max(p.end for p in periods) + timedelta(days=31)).isoformat()
        elsewhere = register_elsewhere(job.seed, prov, geo, job.rates.register_elsewhere)
        prov.register_elsewhere = frozenset(prov.people.pid[i] for i in elsewhere)
        parts.writers["persons"].writerows(register_rows(prov.people, geo, extract, elsewhere))
        for period in periods:
            targets = geo.constituents(job.code) if period.pre_reform else [job.code]
            for target in targets:
                write_period(Context(job, prov, geo, period, target, parts, result), cases[period.label])
    finally:
        parts.close()
    return result
