namespace MseLab.Cluster.Client;

/// <summary>A sweep that cannot run on this cluster (no device fits its trials); nothing was stored.</summary>
public sealed class SweepRejectedException : Exception
{
    public SweepRejectedException()
    {
    }

    public SweepRejectedException(string message)
        : base(message)
    {
    }

    public SweepRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
