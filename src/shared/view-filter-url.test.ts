import { describe, expect, it } from 'vitest';
import type { ViewFilter } from './filter';
import { parseViewFilter, writeViewFilter } from './view-filter-url';

describe('view filter in the URL', () => {
  it('round-trips every kind of filter, keeping other parameters', () => {
    const filter: ViewFilter = {
      q: 'sort python',
      facets: { model: ['a,b', 'c'], task_category: [''], review: ['kept'] },
      ranges: { instruction_length: [10, null], min_neighbor_distance: [null, 0.25] },
      endsWithColon: false,
    };
    const params = new URLSearchParams('view=explore&sort=createdAt.desc&q=old&f.language=en');
    writeViewFilter(params, filter);
    expect(params.get('view')).toBe('explore');
    expect(params.get('sort')).toBe('createdAt.desc');
    expect(params.getAll('f.language')).toEqual([]);
    const again = parseViewFilter(new URLSearchParams(params.toString()));
    expect(again).toEqual(filter);
  });

  it('reads an empty URL as no filter and writes no filter as no parameters', () => {
    expect(parseViewFilter(new URLSearchParams(''))).toEqual({});
    const params = new URLSearchParams('view=explore&q=x&colon=only&r.response_length=1..2');
    writeViewFilter(params, {});
    expect(params.toString()).toBe('view=explore');
  });

  it('ignores what it does not understand', () => {
    const params = new URLSearchParams(
      'f.nope=x&r.instruction_length=abc&r.response_length=..&colon=maybe&q=%20%20&r.response_score=..7',
    );
    expect(parseViewFilter(params)).toEqual({ ranges: { response_score: [null, 7] } });
  });
});
