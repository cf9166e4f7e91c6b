using Orleans.Concurrency;

namespace MseLab.Grains;

/// <summary>
/// A worker process, keyed <c>host/worker</c> and placed on that host's silo: <c>mselab worker drain HOST</c> goes here.
/// </summary>
public interface IWorkerControlGrain : IGrainWithStringKey
{
    /// <summary>Starts a graceful stop: no new trials; running ones checkpoint and hand their cells back; then the process exits.</summary>
    [AlwaysInterleave]
    Task DrainAsync();

    /// <summary>The key of the control grain of <paramref name="host"/>.</summary>
    static string KeyOf(string host) => $"{host}/worker";
}
