"""The declaration workflow's rules, without a store: examples, properties and random runs."""

from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from services.finance import domain
from services.finance.domain import EDITABLE, Action, Actor, Budget, DeclarationStatus
from shared.domain import Refused

COORDINATOR = Actor("jan", "school", "corlaer")
OTHER_SCHOOL = Actor("piet", "school", "element")
FINANCE = Actor("fatima", "finance", "finance")
FINANCE_2 = Actor("ruud", "finance", "finance")
# One person with both a school's and finance's account: only the actor id gives them away.
TWO_HATS_SCHOOL = Actor("kees", "school", "corlaer")
TWO_HATS_FINANCE = Actor("kees", "finance", "finance")
BACKOFFICE = Actor("bo", "backoffice", "")
ACTORS = [
    COORDINATOR,
    OTHER_SCHOOL,
    FINANCE,
    FINANCE_2,
    TWO_HATS_SCHOOL,
    TWO_HATS_FINANCE,
    BACKOFFICE,
]


@dataclass
class Sheet:
    school_id: str = "corlaer"
    status: str = DeclarationStatus.DRAFT
    submitted_by: str | None = None
    lines: list["Line"] = field(default_factory=list)


@dataclass(frozen=True)
class Line:
    core_task: str
    amount_cents: int
    corrects: int | None = None  # index of the original line a correction adjusts


def apply(sheet: Sheet, transition: domain.Transition, actor: Actor) -> None:
    """What the commands do with a transition the rules allowed."""
    assert transition.from_status == sheet.status
    sheet.status = transition.to_status
    if transition.action == Action.SUBMITTED:
        sheet.submitted_by = actor.id


def submitted(by: Actor = COORDINATOR) -> Sheet:
    sheet = Sheet()
    apply(sheet, domain.submit(sheet, by), by)
    return sheet


def test_the_happy_path():
    sheet = submitted()
    apply(sheet, domain.approve(sheet, FINANCE), FINANCE)
    apply(sheet, domain.pay(sheet, FINANCE_2), FINANCE_2)
    assert sheet.status == "paid"


def test_only_the_schools_own_coordinator_submits():
    for actor in (OTHER_SCHOOL, FINANCE, BACKOFFICE):
        with pytest.raises(Refused) as refused:
            domain.submit(Sheet(), actor)
        assert refused.value.status == 403


def test_nobody_approves_their_own_submission_whatever_the_role():
    sheet = submitted(by=TWO_HATS_SCHOOL)
    with pytest.raises(Refused, match="zelf heeft ingediend"):
        domain.approve(sheet, TWO_HATS_FINANCE)
    with pytest.raises(Refused, match="zelf heeft ingediend"):
        domain.reject(sheet, TWO_HATS_FINANCE, "dubbel gedeclareerd")
    assert domain.approve(sheet, FINANCE).to_status == "approved"


def test_a_school_does_not_approve():
    with pytest.raises(Refused) as refused:
        domain.approve(submitted(), COORDINATOR)
    assert refused.value.status == 403


def test_a_rejection_needs_a_reason_and_reopens_the_declaration():
    sheet = submitted()
    with pytest.raises(Refused):
        domain.reject(sheet, FINANCE, "  ")
    apply(sheet, domain.reject(sheet, FINANCE, "factuur ontbreekt"), FINANCE)
    domain.check_line_addable(sheet, COORDINATOR)
    assert domain.submit(sheet, COORDINATOR).from_status == "rejected"


@pytest.mark.parametrize("status", ["submitted", "approved", "paid"])
def test_a_locked_declaration_takes_no_lines(status):
    with pytest.raises(Refused) as refused:
        domain.check_line_addable(Sheet(status=status), COORDINATOR)
    assert refused.value.status == 409


def test_paying_needs_an_approval_first():
    with pytest.raises(Refused):
        domain.pay(submitted(), FINANCE)


@pytest.mark.parametrize(
    ("late", "allowed"),
    [(None, True), ("2026-Q4", True), ("2026-Q1", True), ("2027-Q1", False), ("2027-Q2", False)],
)
def test_a_late_line_names_an_earlier_quarter(late, allowed):
    if allowed:
        domain.check_late_quarter(late, "2027-Q1")
    else:
        with pytest.raises(Refused):
            domain.check_late_quarter(late, "2027-Q1")


@pytest.mark.parametrize(("quarter", "following"), [("2026-Q1", "2026-Q2"), ("2026-Q4", "2027-Q1")])
def test_next_quarter(quarter, following):
    assert domain.next_quarter(quarter) == following


lines = st.lists(
    st.builds(Line, st.sampled_from("ABCDE"), st.integers(min_value=0, max_value=10**9)),
    max_size=50,
)


@given(lines)
def test_totals_reconcile(some_lines):
    per_task = domain.totals_per_core_task(some_lines)
    assert domain.total_cents(some_lines) == sum(per_task.values())
    assert sum(line.amount_cents for line in some_lines) == domain.total_cents(some_lines)
    assert set(per_task) == {line.core_task for line in some_lines}


@given(st.lists(st.tuples(st.integers(0, 100_000), st.integers(0, 100_000)), max_size=30))
def test_a_declaration_of_hours_totals_its_rounded_lines(hours):
    priced = [Line("A", domain.amount_cents(m, r)) for m, r in hours]
    assert domain.total_cents(priced) == sum(domain.amount_cents(m, r) for m, r in hours)


amounts = st.dictionaries(st.sampled_from("ABCDE"), st.integers(0, 10**9))


@given(
    amounts,
    amounts,
    st.dictionaries(
        st.sampled_from("ABCDE"), st.builds(Budget, st.integers(0, 10**9), st.booleans())
    ),
)
def test_an_overrun_is_exactly_a_budgeted_task_going_over(declared, committed, budgets):
    overruns = {o.core_task: o for o in domain.budget_overruns(declared, committed, budgets)}
    for task, cents in declared.items():
        over = task in budgets and committed.get(task, 0) + cents > budgets[task].amount_cents
        assert (task in overruns) is over
    if any(o.hard_limit for o in overruns.values()):
        with pytest.raises(Refused) as refused:
            domain.check_budget(list(overruns.values()))
        assert refused.value.status == 409
    else:
        assert len(domain.check_budget(list(overruns.values()))) == len(overruns)


def test_a_soft_overrun_names_task_and_excess():
    [warning] = domain.check_budget(
        domain.budget_overruns({"A": 600}, {"A": 500}, {"A": Budget(1000, hard_limit=False)})
    )
    assert warning == "kerntaak A komt € 1,00 boven het jaarbudget"


class Workflow(RuleBasedStateMachine):
    """Random actors try random steps; whatever the rules let through must keep the laws."""

    def __init__(self) -> None:
        super().__init__()
        self.sheet = Sheet()
        self.history: list[tuple[domain.Transition, Actor]] = []
        self.lines_at_submit: list[Line] = []

    def attempt(self, step, actor: Actor, *args) -> None:
        try:
            transition = step(self.sheet, actor, *args)
        except Refused:
            return
        apply(self.sheet, transition, actor)
        self.history.append((transition, actor))
        if transition.action == Action.SUBMITTED:
            self.lines_at_submit = list(self.sheet.lines)

    @rule(actor=st.sampled_from(ACTORS), task=st.sampled_from("ABCDE"), cents=st.integers(0, 10**7))
    def add_line(self, actor, task, cents):
        try:
            domain.check_line_addable(self.sheet, actor)
        except Refused:
            return
        assert self.sheet.status in EDITABLE and actor.organisation == self.sheet.school_id
        self.sheet.lines.append(Line(task, cents))

    @rule(actor=st.sampled_from(ACTORS), data=st.data(), cents=st.integers(-(10**7), 10**7))
    def correct(self, actor, data, cents):
        originals = [i for i, line in enumerate(self.sheet.lines) if line.corrects is None]
        if not originals:
            return
        index = data.draw(st.sampled_from(originals))
        net = sum(
            line.amount_cents
            for i, line in enumerate(self.sheet.lines)
            if index in (i, line.corrects)
        )
        try:
            domain.check_line_addable(self.sheet, actor)
            domain.check_correction(self.sheet.school_id, actor.organisation, False, net, cents)
        except Refused:
            return
        self.sheet.lines.append(Line(self.sheet.lines[index].core_task, cents, index))

    @rule(actor=st.sampled_from(ACTORS))
    def submit(self, actor):
        self.attempt(domain.submit, actor)

    @rule(actor=st.sampled_from(ACTORS))
    def approve(self, actor):
        self.attempt(domain.approve, actor)

    @rule(actor=st.sampled_from(ACTORS), reason=st.sampled_from(["", "bon ontbreekt"]))
    def reject(self, actor, reason):
        self.attempt(domain.reject, actor, reason)

    @rule(actor=st.sampled_from(ACTORS))
    def pay(self, actor):
        self.attempt(domain.pay, actor)

    @invariant()
    def locked_declarations_keep_the_lines_they_were_submitted_with(self):
        if self.sheet.status not in EDITABLE:
            assert self.sheet.lines == self.lines_at_submit

    @invariant()
    def nobody_decides_on_their_own_submission(self):
        submitter = None
        for transition, actor in self.history:
            if transition.action == Action.SUBMITTED:
                submitter = actor.id
                assert actor.role == "school" and actor.organisation == "corlaer"
            elif transition.action in (Action.APPROVED, Action.REJECTED):
                assert actor.role == "finance" and actor.id != submitter

    @invariant()
    def paid_only_right_after_approval_and_only_once(self):
        actions = [t.action for t, _ in self.history]
        for i, action in enumerate(actions):
            if action == Action.PAID:
                assert actions[i - 1] == Action.APPROVED and i == len(actions) - 1

    @invariant()
    def no_line_nets_below_zero_whatever_its_corrections(self):
        for index, line in enumerate(self.sheet.lines):
            if line.corrects is None:
                assert (
                    line.amount_cents
                    + sum(c.amount_cents for c in self.sheet.lines if c.corrects == index)
                    >= 0
                )

    @invariant()
    def totals_reconcile(self):
        assert domain.total_cents(self.sheet.lines) == sum(
            domain.totals_per_core_task(self.sheet.lines).values()
        )


Workflow.TestCase.settings = settings(max_examples=300, stateful_step_count=30, deadline=None)
TestWorkflow = Workflow.TestCase
