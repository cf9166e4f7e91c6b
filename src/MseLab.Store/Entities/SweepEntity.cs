namespace MseLab.Store.Entities;

/// <summary>A submitted sweep: its name is its id; the file text is kept so a result can be traced to what asked for it.</summary>
public sealed class SweepEntity
{
    public required string Id { get; set; }

    public required string File { get; set; }

    public required string Definition { get; set; }

    public bool Cancelled { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public List<TrialEntity> Trials { get; set; } = [];
}
