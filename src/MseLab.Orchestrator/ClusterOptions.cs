namespace MseLab.Orchestrator;

/// <summary>How this process joins the cluster and the queue. Bound from the <c>Cluster</c> configuration section.</summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary><c>localhost</c>: a single-process cluster (the embedded default).</summary>
    public string Clustering { get; set; } = "localhost";

    /// <summary><c>inmemory</c>: the queue lives in this process (the embedded default).</summary>
    public string Transport { get; set; } = "inmemory";

    /// <summary>The Orleans cluster id; workers of one lab share it.</summary>
    public string ClusterId { get; set; } = "mselab";
}
