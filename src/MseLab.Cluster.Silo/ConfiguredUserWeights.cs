using Microsoft.Extensions.Options;

namespace MseLab.Cluster.Silo;

/// <summary>The default <see cref="IUserWeights"/>: <see cref="FairShareOptions.Weights"/> from configuration, 1 for anyone else.</summary>
public sealed class ConfiguredUserWeights(IOptions<FairShareOptions> options) : IUserWeights
{
    public double WeightOf(string user) => options.Value.Weights.TryGetValue(user, out var weight) ? weight : 1;
}
