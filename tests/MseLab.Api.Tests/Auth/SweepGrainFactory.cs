using System.Reflection;
using MseLab.Grains;
using MseLab.Store;

namespace MseLab.Api.Tests.Auth;

/// <summary>
/// An <see cref="IGrainFactory"/> (no Orleans cluster in this tier) that hands out <see cref="StoreSweepGrain"/>s for
/// <c>GetGrain&lt;ISweepGrain&gt;(name)</c> and refuses any other grain, so an endpoint that needs more fails loudly.
/// </summary>
// Not sealed: DispatchProxy derives its proxy type from this class.
public class SweepGrainFactory : DispatchProxy
{
    private SweepSubmissions? _submissions;
    private int _refreshes;

    /// <summary>How many times a submission told a sweep grain to reload.</summary>
    public int Refreshes => _refreshes;

    public static IGrainFactory Create(SweepSubmissions submissions)
    {
        var factory = DispatchProxy.Create<IGrainFactory, SweepGrainFactory>();
        ((SweepGrainFactory)(object)factory)._submissions = submissions;
        return factory;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod is { Name: nameof(IGrainFactory.GetGrain), IsGenericMethod: true } && targetMethod.GetGenericArguments()[0] == typeof(ISweepGrain)
            && args is [string sweep, ..])
        {
            return new StoreSweepGrain(sweep, _submissions!, () => Interlocked.Increment(ref _refreshes));
        }

        throw new NotSupportedException($"{targetMethod?.Name} is not faked by the auth tests' grain factory.");
    }
}
