using MseLab.Store.Records;

namespace MseLab.Store.Entities;

/// <summary>A worker process and its devices, as it registered itself; submission checks trials against these devices.</summary>
public sealed class WorkerEntity
{
    /// <summary>The worker's host name (its silo name and the host part of its device keys).</summary>
    public required string Host { get; set; }

    /// <summary>JSON array of <c>{"Key","Kind","MemoryGb"}</c>.</summary>
    public required string Devices { get; set; }

    /// <summary>JSON of the worker's <c>WorkerRoots</c> (<c>{"Backbones":[...],"Data":[...]}</c>); null for a worker that names none.</summary>
    public string? Roots { get; set; }

    public WorkerState State { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime SeenAt { get; set; }
}
