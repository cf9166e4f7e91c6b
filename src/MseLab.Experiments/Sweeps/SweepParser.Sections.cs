using MseLab.Experiments.Trials;
using YamlDotNet.RepresentationModel;

namespace MseLab.Experiments.Sweeps;

/// <summary>The optional sections of a sweep file: random search, resources and precision.</summary>
public sealed partial class SweepParser
{
    private SweepDefinition ReadRandom(SweepDefinition definition, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, "'random' must be a mapping", "write random: {samples: 4, params: {lr: {loguniform: [1e-5, 1e-2]}}}");
            return definition;
        }

        var keys = CheckKeys(map, ["samples", "params"], "random");
        var samples = keys.TryGetValue("samples", out var s) ? Integer(s, "samples", min: 1) : 0;
        if (!keys.TryGetValue("params", out var parameters))
        {
            Error(map, "'random' needs 'params'", "e.g. params: {lr: {loguniform: [1e-5, 1e-2]}}");
            return definition;
        }

        if (samples == 0)
        {
            Error(map, "'random' needs 'samples' >= 1", "e.g. samples: 4");
        }

        var distributions = new List<KeyValuePair<string, Distribution>>();
        foreach (var (key, value) in Mapping(parameters, "random.params"))
        {
            if (ReadDistribution(key, value) is { } distribution)
            {
                distributions.Add(new(key, distribution));
            }
        }

        return definition with { Samples = samples, Random = distributions };
    }

    private Distribution? ReadDistribution(string name, YamlNode node)
    {
        const string Hint = "use {uniform: [lo, hi]}, {loguniform: [lo, hi]} or {choice: [a, b]}";
        if (node is not YamlMappingNode { Children.Count: 1 } map || map.Children.First().Key is not YamlScalarNode { Value: { } kind }
            || map.Children.First().Value is not YamlSequenceNode { Children.Count: > 0 } values)
        {
            Error(node, $"'{name}' is not a distribution", Hint);
            return null;
        }

        var numbers = values.Children.Select(v => Hyperparameter(v, name)).ToList();
        switch (kind)
        {
            case "choice":
                return new ChoiceDistribution(numbers);
            case "uniform" or "loguniform" when numbers.Count != 2 || numbers[0] >= numbers[1]:
                Error(values, $"'{name}': {kind} needs [low, high] with low < high", Hint);
                return null;
            case "uniform" when Hyperparameters.IsInteger(name):
            case "loguniform" when Hyperparameters.IsInteger(name):
                Error(map, $"'{name}' is an integer: sample it with choice", "e.g. {choice: [10, 30]}");
                return null;
            case "uniform":
                return new UniformDistribution(numbers[0], numbers[1]);
            case "loguniform":
                return new LogUniformDistribution(numbers[0], numbers[1]);
            default:
                Error(map, $"unknown distribution '{kind}' for '{name}'", Hint);
                return null;
        }
    }

    private SweepDefinition ReadResources(SweepDefinition definition, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, "'resources' must be a mapping", "write resources: {device: cpu, memory_gb: 2}");
            return definition;
        }

        var keys = CheckKeys(map, ["device", "memory_gb"], "resources");
        var device = keys.TryGetValue("device", out var d) ? Text(d, "device") : definition.DeviceKind;
        if (device is not ("cpu" or "cuda"))
        {
            Error(d!, $"device kind '{device}' is not known", "use cpu or cuda");
        }

        var memory = keys.TryGetValue("memory_gb", out var m) ? Number(m, "memory_gb") : definition.MemoryGb;
        if (memory <= 0)
        {
            Error(m!, "'memory_gb' must be positive", "leave it out to use the memory plan's estimate (mselab sweep plan FILE), or write e.g. memory_gb: 22");
        }

        return definition with { DeviceKind = device, MemoryGb = memory };
    }

    private List<TrialPrecision> Precisions(YamlNode node)
    {
        const string Hint = "write precision: fp32 (the default), precision: paper, or precision: [fp32, paper] to run both";
        var values = node switch
        {
            YamlScalarNode => [node],
            YamlSequenceNode sequence => sequence.Children.ToList(),
            _ => null,
        };
        if (values is null || values.Count == 0)
        {
            Error(node, values is null ? "'precision' must be a name or a list of names" : "'precision' is empty", Hint);
            return [];
        }

        var precisions = new List<TrialPrecision>();
        foreach (var value in values)
        {
            var text = (value as YamlScalarNode)?.Value;
            if (TrialPrecisionNames.TryParse(text, out var precision))
            {
                precisions.Add(precision);
            }
            else
            {
                Error(value, $"precision '{text ?? value.NodeType.ToString()}' is not known (known: {string.Join(", ", TrialPrecisionNames.All)})", Hint);
            }
        }

        return precisions;
    }
}
