"""The home page stays light at province scale: a level of many regions (1,500 townships) is listed by
the regions above them, each of whose pages lists its own."""
from compiler.builders.common import RegionView, Site
from compiler.builders.html import GROUPED_ABOVE, regions_by_level


def _site(townships: int) -> Site:
    regions = [RegionView("340000", "安徽省", "province", None)]
    regions += [RegionView(f"3401{n:02d}", f"县{n}", "county", "340000") for n in range(5)]
    regions += [RegionView(f"3401{n % 5:02d}{n:03d}", f"镇{n}", "township", f"3401{n % 5:02d}") for n in range(townships)]
    return Site(None, regions, [], [])


def test_a_level_of_many_regions_is_listed_by_the_regions_above():
    levels = {level: (regions, groups) for level, regions, groups in regions_by_level(_site(GROUPED_ABOVE + 1))}
    regions, groups = levels["township"]
    assert len(regions) == GROUPED_ABOVE + 1
    assert [(parent.code, n) for parent, n in groups] == [(f"3401{k:02d}", len(range(k, GROUPED_ABOVE + 1, 5)))
                                                          for k in range(5)]
    assert levels["county"][1] is None and levels["province"][1] is None


def test_a_level_of_few_regions_is_listed_region_by_region():
    levels = {level: groups for level, _, groups in regions_by_level(_site(GROUPED_ABOVE))}
    assert levels["township"] is None
