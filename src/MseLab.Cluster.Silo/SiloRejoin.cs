namespace MseLab.Cluster.Silo;

/// <summary>
/// Outlives the hosts of one worker process: a silo that the cluster declared dead (cut off longer than the membership
/// probes allow) asks here for a fresh start, and the process then stops that host and builds the next generation of its
/// silo instead of exiting. One instance per process, handed to each host it builds.
/// </summary>
public sealed class SiloRejoin
{
    private readonly Lock _gate = new();
    private string? _reason;

    /// <summary>The host being built or running: 1 for the first, one more after each rejoin.</summary>
    public int Generation { get; private set; } = 1;

    /// <summary>Whether the running host asked to be replaced.</summary>
    public bool Requested
    {
        get
        {
            lock (_gate)
            {
                return _reason is not null;
            }
        }
    }

    /// <summary>Asks for a fresh host; the first reason given is kept.</summary>
    public void Request(string reason)
    {
        lock (_gate)
        {
            _reason ??= reason;
        }
    }

    /// <summary>When a fresh host was asked for, counts the next generation and gives the reason; false otherwise.</summary>
    public bool TryBegin(out string reason)
    {
        lock (_gate)
        {
            reason = _reason ?? "";
            if (_reason is null)
            {
                return false;
            }

            _reason = null;
            Generation++;
            return true;
        }
    }
}
