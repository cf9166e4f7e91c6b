namespace MseLab.Store.Records;

/// <summary>The decision in an <see cref="EpochVerdict"/>.</summary>
public enum EpochDecision
{
    /// <summary>The attempt still owns the cell and trains on.</summary>
    Continue,

    /// <summary>The sweep's early-stopping rule stopped the cell at this rung (it is Pruned, its checkpoint kept): stop now, write nothing more.</summary>
    Pruned,

    /// <summary>Another attempt owns the cell (or the sweep was cancelled): stop without writing.</summary>
    Lost,
}
