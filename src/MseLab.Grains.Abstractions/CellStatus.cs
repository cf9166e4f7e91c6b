namespace MseLab.Grains;

/// <summary>A cell's status as grains report it (mirrors the store's).</summary>
[GenerateSerializer]
public enum CellStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
