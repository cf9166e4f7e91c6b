namespace MseLab.Store.Records;

/// <summary>A device a worker drives: <c>host/cuda:0</c>, its kind and memory (GB; 0 when unknown, which fits any need).</summary>
public sealed record WorkerDevice(string Key, string Kind, double MemoryGb)
{
    /// <summary>Whether a trial needing <paramref name="kind"/> and <paramref name="memoryGb"/> may run here.</summary>
    public bool Fits(string kind, double memoryGb) =>
        string.Equals(Kind, kind, StringComparison.Ordinal) && (MemoryGb <= 0 || memoryGb <= MemoryGb);
}
