from hypothesis import given
from hypothesis import strategies as st

from cfit.dashboards.privacy import Cell, is_publishable, protect_cells


def cell(key, organisations, devices, group=2025):
    return Cell(
        group=group, key=key, organisations=organisations, values={"devices": devices}
    )


def test_a_cell_with_two_organisations_is_not_publishable():
    assert not is_publishable(2)
    assert is_publishable(3)


def test_cells_of_three_organisations_or_more_are_all_shown():
    [group] = protect_cells([cell("laptop", 3, 10), cell("smartphone", 7, 20)])
    assert [c.key for c in group.shown] == ["laptop", "smartphone"]
    assert group.hidden_keys == []
    assert group.merged is None
    assert not group.withheld


def test_a_small_cell_is_hidden_with_the_smallest_shown_cell_and_shown_merged():
    cells = [cell("laptop", 10, 500), cell("tablet", 4, 30), cell("smartphone", 2, 7)]
    [group] = protect_cells(cells)
    assert [c.key for c in group.shown] == ["laptop"]
    assert sorted(group.hidden_keys) == ["smartphone", "tablet"]
    # The merged value covers the tablet's four organisations: it may be shown.
    assert group.merged == {"devices": 37.0}


def test_the_small_cell_cannot_be_worked_out_from_what_is_shown():
    cells = [cell("laptop", 10, 500), cell("tablet", 4, 30), cell("smartphone", 2, 7)]
    [group] = protect_cells(cells)
    shown_values = {c.values["devices"] for c in group.shown} | {
        group.merged["devices"]
    }
    assert 7 not in shown_values


def test_a_group_of_only_small_cells_is_withheld_unless_the_group_covers_three():
    cells = [cell("laptop", 2, 10), cell("smartphone", 1, 5)]
    [withheld] = protect_cells(cells)
    assert withheld.shown == []
    assert withheld.withheld
    [merged] = protect_cells(cells, group_organisations={2025: 3})
    assert merged.merged == {"devices": 15.0}
    [too_few] = protect_cells(cells, group_organisations={2025: 2})
    assert too_few.withheld


def test_groups_keep_the_order_in_which_they_first_appear():
    cells = [cell("laptop", 5, 1, group=2024), cell("laptop", 5, 1, group=2023)]
    assert [g.group for g in protect_cells(cells)] == [2024, 2023]


cells_strategy = st.lists(
    st.builds(
        cell,
        key=st.sampled_from(["laptop", "smartphone", "tablet", "desktop", "display"]),
        organisations=st.integers(min_value=1, max_value=6),
        devices=st.integers(min_value=0, max_value=1000),
        group=st.sampled_from([2023, 2024]),
    ),
    max_size=12,
    unique_by=lambda c: (c.group, c.key),
)


@given(cells_strategy)
def test_no_small_cell_is_ever_shown_and_every_cell_is_shown_or_hidden(cells):
    for group in protect_cells(cells):
        assert all(c.organisations >= 3 for c in group.shown)
        members = [c for c in cells if c.group == group.group]
        assert {c.key for c in group.shown} | set(group.hidden_keys) == {
            c.key for c in members
        }
        if group.merged is not None:
            hidden = [c for c in members if c.key in group.hidden_keys]
            # A merged value always contains a cell of three organisations or more.
            assert any(c.organisations >= 3 for c in hidden)
            assert len(hidden) >= 2 or hidden[0].organisations >= 3
