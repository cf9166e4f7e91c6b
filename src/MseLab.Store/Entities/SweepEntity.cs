namespace MseLab.Store.Entities;

/// <summary>A submitted sweep: its name is its id; the file text is kept so a result can be traced to what asked for it.</summary>
public sealed class SweepEntity
{
    public required string Id { get; set; }

    public required string File { get; set; }

    public required string Definition { get; set; }

    /// <summary>The user who submitted it (<c>local</c> on an embedded or unauthenticated store): only they or an admin cancel it, and fair share charges its device time to them.</summary>
    public string Owner { get; set; } = SweepOwners.Local;

    public bool Cancelled { get; set; }

    /// <summary>The sweep's <c>early_stopping</c> rule as JSON (<see cref="Experiments.EarlyStopping.EarlyStoppingRule"/>), or null: read at every rung epoch.</summary>
    public string? EarlyStopping { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public List<TrialEntity> Trials { get; set; } = [];
}
