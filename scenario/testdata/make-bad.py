#!/usr/bin/env python3
"""Writes testdata/bad/*.toml: one mistake each in a copy of the built-in
deck-exact scenario. Run from scenario/: python3 testdata/make-bad.py [NAME.toml ...]
(with names, only those files are written)."""
import re
import sys

src = open('builtin/deck-exact.toml').read()
cases = {
    'typo.toml': src.replace('[A.cws_appeal_share]\nvalue = 0.20', '[A.cws_apeal_share]\nvalue = 0.20'),
    'missing.toml': re.sub(r'\[D\.cws_average_damage\]\n(?:[^\[\n].*\n)+', '', src),
    'share-above-1.toml': src.replace('[funnel.affected_share]\nvalue = 0.75', '[funnel.affected_share]\nvalue = 75'),
    'share-negative.toml': src.replace('[funnel.restored_share]\nvalue = 0.05', '[funnel.restored_share]\nvalue = -0.05'),
    'negative-amount.toml': src.replace('[E.cws_average_damage]\nvalue = 25000', '[E.cws_average_damage]\nvalue = -25000'),
    'wrong-unit.toml': src.replace('[B.base_amount]\nvalue = 30000\nunit = "eur"', '[B.base_amount]\nvalue = 30000\nunit = "euro"'),
    'no-source.toml': re.sub(r'(\[E\.mediation_rate\]\n(?:.*\n){3})source = .*\n', r'\1', src),
    'syntax.toml': src.replace('[E.dispute_rate]\nvalue = 300', '[E.dispute_rate]\nvalue = 300 euro'),
    'duplicate-case.toml': src.replace('id = "A-30k"', 'id = "A-15k"'),
    'zero-capacity.toml': src.replace('[phasing.cws_capacity]\nvalue = 1000', '[phasing.cws_capacity]\nvalue = 0'),
    'fractional-year.toml': src.replace('[phasing.opening_year]\nvalue = 2022', '[phasing.opening_year]\nvalue = 2022.5'),
    'interval-reversed.toml': src.replace('low = 25000\nhigh = 50000', 'low = 50000\nhigh = 25000'),
    'beta-on-amount.toml': src.replace('distribution = "lognormal"\nlow = 14000', 'distribution = "beta"\nlow = 14000'),
    'moves-with-unknown.toml': src.replace('moves_with = "A.cws_average_damage"', 'moves_with = "A.cws_avg_damage"'),
    'no-why.toml': re.sub(r'(\[E\.settled_share\.uncertainty\]\n(?:.*\n){3})why = .*\n', r'\1', src),
    'unknown-distribution.toml': src.replace('distribution = "triangular"\nmin = 500\nmax = 2000', 'distribution = "gauss"\nmin = 500\nmax = 2000'),
    'unknown-central-case.toml': src.replace('central_case = "A-15k"', 'central_case = "A-20k"'),
    'underscore-number.toml': src.replace('[funnel.base_population]\nvalue = 11000', '[funnel.base_population]\nvalue = 11_000'),
    'too-large.toml': src.replace('low = 25000\nhigh = 50000', 'low = 25000\nhigh = 1e300'),
    'case-id-clash.toml': src.replace('id = "A-30k"', 'id = "A+15k"'),
    'sheet-name-apostrophe.toml': src.replace('short_name = "Maatwerk"', 'short_name = "Maatwerk\'"'),
    'sheet-name-too-long.toml': src.replace('short_name = "Mediation"', 'short_name = "Mediation en geschilbeslechting 😀"'),
    'sheet-name-character.toml': src.replace('short_name = "Forfaitair"', 'short_name = "Forfaitair: 15k/30k"'),
    'sheet-name-tab.toml': src.replace('short_name = "Proportioneel"', 'short_name = "Proportioneel\\t"'),
    'control-character.toml': src.replace('description = "Base amount of which', 'description = "\\u0007Base amount of which'),
    'bsn-in-text.toml': src.replace('description = "Base amount of which', 'description = "Zie dossier 123 456 782: base amount of which'),
    'bsn-in-comment.toml': src.replace('# --- Funnel', '# Checked with BSN 111222333 (made up)\n# --- Funnel'),
    'decimal-comma.toml': src.replace('[funnel.affected_share]\nvalue = 0.75', '[funnel.affected_share]\nvalue = 0,75'),
}
for name, text in cases.items():
    assert text != src, name
    if len(sys.argv) == 1 or name in sys.argv[1:]:
        open('testdata/bad/' + name, 'w').write(text)
