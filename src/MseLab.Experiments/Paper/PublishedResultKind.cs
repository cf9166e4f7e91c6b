namespace MseLab.Experiments.Paper;

/// <summary>Where a published result comes from.</summary>
public enum PublishedResultKind
{
    /// <summary>The authors' own training logs in the official repository (5-seed means).</summary>
    Logged,

    /// <summary>A third party's run of the official code (an issue thread, a fork's results file).</summary>
    Reproduction,
}
