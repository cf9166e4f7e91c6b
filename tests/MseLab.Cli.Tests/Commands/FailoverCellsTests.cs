using MseLab.Cli.Commands.Bench;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;

namespace MseLab.Cli.Tests.Commands;

/// <summary><c>bench failover</c>'s verdict on a cell from its row and attempts: what counts as lost and as duplicated.</summary>
public sealed class FailoverCellsTests
{
    private static readonly DateTime At = new(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Judge_LostAttemptThenOneSuccessAfterTheFault_Ok() =>
        Assert.Equal(FailoverCells.Verdict.Ok, FailoverCells.Judge(Cell(TrialStatus.Succeeded, 2), [Attempt(1, AttemptOutcome.Lost), Attempt(2, AttemptOutcome.Succeeded)], faulted: 1));

    [Theory]
    [InlineData(TrialStatus.Running)]
    [InlineData(TrialStatus.Queued)]
    [InlineData(TrialStatus.Failed)]
    [InlineData(TrialStatus.Cancelled)]
    public void Judge_NotSucceeded_Lost(TrialStatus status) =>
        Assert.Equal(FailoverCells.Verdict.Lost, FailoverCells.Judge(Cell(status, 2), [Attempt(1, AttemptOutcome.Lost)], faulted: 1));

    [Fact]
    public void Judge_TwoAttemptsSucceeded_Duplicated() =>
        Assert.Equal(FailoverCells.Verdict.Duplicated, FailoverCells.Judge(Cell(TrialStatus.Succeeded, 2), [Attempt(1, AttemptOutcome.Succeeded), Attempt(2, AttemptOutcome.Succeeded)], faulted: 1));

    [Fact]
    public void Judge_ResultOfTheFaultedAttempt_Duplicated() =>
        Assert.Equal(FailoverCells.Verdict.Duplicated, FailoverCells.Judge(Cell(TrialStatus.Succeeded, 1), [Attempt(1, AttemptOutcome.Succeeded)], faulted: 1));

    [Fact]
    public void Judge_SucceededAttemptAlsoRecordedLost_Duplicated() =>
        Assert.Equal(FailoverCells.Verdict.Duplicated, FailoverCells.Judge(Cell(TrialStatus.Succeeded, 2), [Attempt(1, AttemptOutcome.Lost), Attempt(2, AttemptOutcome.Lost), Attempt(2, AttemptOutcome.Succeeded)], faulted: 1));

    [Fact]
    public void Judge_CellResultFromAnotherAttemptThanTheSucceededOne_Duplicated() =>
        Assert.Equal(FailoverCells.Verdict.Duplicated, FailoverCells.Judge(Cell(TrialStatus.Succeeded, 3), [Attempt(1, AttemptOutcome.Lost), Attempt(2, AttemptOutcome.Succeeded)], faulted: 1));

    [Fact]
    public void Judge_NoFaultLandedAndOneSuccess_Ok() =>
        Assert.Equal(FailoverCells.Verdict.Ok, FailoverCells.Judge(Cell(TrialStatus.Succeeded, 1), [Attempt(1, AttemptOutcome.Succeeded)], faulted: 0));

    private static TrialRow Cell(TrialStatus status, int attempt) =>
        new("s", "k", "g", "tiny", "synthetic:mosei", 1, 1e-3, 1, "{}", status, attempt, "h/cpu:0", 0, null, null, null, At, At, new Dictionary<string, double>());

    private static AttemptRow Attempt(int attempt, AttemptOutcome outcome) => new("k", attempt, $"h{attempt}/cpu:0", At, At, outcome, null);
}
