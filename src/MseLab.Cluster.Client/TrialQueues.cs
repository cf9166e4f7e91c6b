namespace MseLab.Cluster.Client;

/// <summary>One durable queue per device kind: a worker consumes only the queues of the kinds it has.</summary>
public static class TrialQueues
{
    public static string NameOf(string deviceKind) => $"run-trial-{deviceKind}";

    public static Uri AddressOf(string deviceKind) => new($"queue:{NameOf(deviceKind)}");
}
