namespace MseLab.Data.Entities;

/// <summary>States of <see cref="WorkerEntity.State"/>.</summary>
public static class WorkerState
{
    public const string Up = "up";

    public const string Draining = "draining";

    public const string Stopped = "stopped";
}
