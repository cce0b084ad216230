#!/usr/bin/env python3
"""Writes testdata/bad/*.toml: one mistake each in a copy of the built-in
set ex-partners. Run from published/: python3 testdata/make-bad.py"""
import re

src = open('builtin/ex-partners.toml').read()
header = src[:src.index('[[figure]]')]


def fig(fid):
    """The text of the [[figure]] table with the given id."""
    m = re.search(r'\[\[figure\]\]\nid = "%s"\n(?:[^\[\n#].*\n)+' % re.escape(fid), src)
    assert m, fid
    return m.group(0)


def edit(fid, old, new):
    """src with old replaced by new in figure fid only."""
    f = fig(fid)
    assert old in f, (fid, old)
    return src.replace(f, f.replace(old, new, 1))


cases = {
    'unknown-key.toml': edit('psupp-2023-stand', 'scope_note =', 'scopenote ='),
    'top-level-key.toml': src.replace('\n[[figure]]\n', '\ntitle = "Gepubliceerde cijfers"\n\n[[figure]]\n', 1),
    'bad-unit.toml': edit('najaarsnota-2023', 'unit = "eur_mln"', 'unit = "euro"'),
    'missing-unit.toml': edit('psupp-2023-vastgesteld', 'unit = "eur_thousand"\n', ''),
    'duplicate-key.toml': edit('najaarsnota-2023', 'value = 11\n', 'value = 11\nvalue = 12\n'),
    'missing-value.toml': edit('mn2023-derving', 'value = 34\n', ''),
    'no-source.toml': edit('najaarsnota-2023', 'source = "rijksfinancien.nl, najaarsnota 2023"\n', ''),
    'empty-source.toml': edit('najaarsnota-2023', 'source = "rijksfinancien.nl, najaarsnota 2023"', 'source = ""'),
    'unknown-compare.toml': edit('psupp-2023-stand', 'compare = "cash_year"', 'compare = "cash"'),
    'low-above-high.toml': edit('reservering-2021-aantal', 'low = 7000\nhigh = 9800', 'low = 9800\nhigh = 7000'),
    'value-outside-range.toml': edit('reservering-2021-aantal', 'value = 8400', 'value = 10000'),
    'only-low.toml': edit('reservering-2021-aantal', 'high = 9800\n', ''),
    'quoted-number.toml': edit('psupp-2023-vastgesteld', 'value = 82909', 'value = "82909"'),
    'not-a-number.toml': edit('reservering-2021', 'value = 590', 'value = "ca. 590"'),
    'thousands-separator.toml': edit('psupp-2023-vastgesteld', 'value = 82909', 'value = 82,909'),
    'fractional-year.toml': edit('najaarsnota-2023', 'year = 2023', 'year = 2023.5'),
    'secondary-text.toml': edit('aangemeld-2021-03', 'secondary = true', 'secondary = "yes"'),
    'duplicate-id.toml': edit('psupp-2023-stand', 'id = "psupp-2023-stand"', 'id = "psupp-2023-vastgesteld"'),
    'secondary-without-note.toml': re.sub(r'(id = "aangemeld-2021-03"\n(?:.*\n)*?)note = .*\n', r'\1', src),
    'compare-unit-mismatch.toml': edit('reservering-2021', 'compare = "total_with_excluded"', 'compare = "population"'),
    'bsn-in-note.toml': edit('najaarsnota-2023', 'source = "rijksfinancien.nl, najaarsnota 2023"', 'source = "rijksfinancien.nl, najaarsnota 2023"\nnote = "gecontroleerd voor 1234 56 782"'),
    'control-character.toml': edit('najaarsnota-2023', 'source = "rijksfinancien.nl, najaarsnota 2023"', 'source = "rijksfinancien.nl,\\u0007 najaarsnota 2023"'),
    'no-figures.toml': header,
    'misspelt-table.toml': src.replace('\n[[figure]]\nid = "najaarsnota-2023"', '\n[[figuur]]\nid = "najaarsnota-2023"'),
}
for name, text in cases.items():
    assert text != src, name
    open('testdata/bad/' + name, 'w').write(text)
