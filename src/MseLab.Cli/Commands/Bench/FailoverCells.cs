using MseLab.Experiments.Trials;
using MseLab.Store.Records;

namespace MseLab.Cli.Commands.Bench;

/// <summary>How a cell of <c>mselab bench failover</c> came out of its fault, judged from the store alone.</summary>
internal static class FailoverCells
{
    public enum Verdict
    {
        /// <summary>Succeeded once, by the attempt that ran after the fault.</summary>
        Ok,

        /// <summary>Did not end Succeeded.</summary>
        Lost,

        /// <summary>More than one attempt succeeded, or the result is that of an attempt that had lost its lease.</summary>
        Duplicated,
    }

    /// <summary>
    /// Judges one cell: <paramref name="attempts"/> are its ended attempts, <paramref name="faulted"/> the attempt that ran
    /// on the faulted host (0: none), which lost its lease once another host ran the cell.
    /// </summary>
    public static Verdict Judge(TrialRow cell, IReadOnlyList<AttemptRow> attempts, int faulted)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(attempts);
        if (cell.Status != TrialStatus.Succeeded)
        {
            return Verdict.Lost;
        }

        var won = attempts.Where(a => a.Outcome == AttemptOutcome.Succeeded).ToList();
        var once = won.Count == 1 && won[0].Attempt == cell.Attempt && attempts.Count(a => a.Attempt == cell.Attempt) == 1;
        return once && (faulted == 0 || cell.Attempt > faulted) ? Verdict.Ok : Verdict.Duplicated;
    }
}
