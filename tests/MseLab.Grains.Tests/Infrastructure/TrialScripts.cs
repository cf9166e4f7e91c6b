using System.Collections.Concurrent;

namespace MseLab.Grains.Tests.Infrastructure;

/// <summary>The scripts of every trial key, shared by the fake executors of all silos (they run in this process).</summary>
public sealed class TrialScripts
{
    private readonly ConcurrentDictionary<string, TrialScript> _scripts = new(StringComparer.Ordinal);

    /// <summary>The script of a trial key; a fresh one (succeeds at once) on first use.</summary>
    public TrialScript For(string trialKey) => _scripts.GetOrAdd(trialKey, _ => new TrialScript());
}
