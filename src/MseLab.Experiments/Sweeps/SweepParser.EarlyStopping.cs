using System.Globalization;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.EarlyStopping;
using MseLab.Experiments.Metrics;
using YamlDotNet.RepresentationModel;

namespace MseLab.Experiments.Sweeps;

/// <summary>The <c>early_stopping</c> section: method, metric, grace_epochs, reduction_factor.</summary>
public sealed partial class SweepParser
{
    private const string EarlyStoppingHint = "write early_stopping: {method: asha, metric: mae, grace_epochs: 1, reduction_factor: 3}";

    private static readonly string[] MethodNames = [.. Enum.GetNames<EarlyStoppingMethod>().Select(n => n.ToLowerInvariant())];

    private EarlyStoppingRule? ReadEarlyStopping(YamlNode node, IReadOnlyList<DatasetRef> datasets)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, "'early_stopping' must be a mapping", EarlyStoppingHint);
            return null;
        }

        var errors = _errors.Count;
        var keys = CheckKeys(map, ["method", "metric", "grace_epochs", "reduction_factor"], "early_stopping");
        var method = EarlyStoppingMethod.Asha;
        if (!keys.TryGetValue("method", out var methodNode))
        {
            Error(map, "'early_stopping' needs 'method'", $"use method: {string.Join(" or ", MethodNames)}");
        }
        else if (!Enum.TryParse(Text(methodNode, "method"), ignoreCase: true, out method) || !Enum.IsDefined(method))
        {
            Error(methodNode, $"early-stopping method '{(methodNode as YamlScalarNode)?.Value}' is not known", $"use {string.Join(" or ", MethodNames)}");
        }

        var metric = "";
        if (!keys.TryGetValue("metric", out var metricNode))
        {
            Error(map, "'early_stopping' needs 'metric'", "name the validation metric the groups are compared on, e.g. metric: mae (lower is better) or metric: weighted_f1");
        }
        else
        {
            metric = CheckMetric(Text(metricNode, "metric"), metricNode, datasets);
        }

        // A first rung at 0 epochs compares untrained adapters; η = 1 would keep every group.
        var grace = keys.TryGetValue("grace_epochs", out var g)
            ? AtLeast(g, "grace_epochs", 1, "the first rung, in epochs, e.g. grace_epochs: 1")
            : EarlyStoppingRule.DefaultGraceEpochs;
        var factor = keys.TryGetValue("reduction_factor", out var f)
            ? AtLeast(f, "reduction_factor", 2, "e.g. reduction_factor: 3 (rungs at grace x 3^k; one in three groups goes on)")
            : EarlyStoppingRule.DefaultReductionFactor;
        return _errors.Count > errors ? null : new EarlyStoppingRule(method, metric, grace, factor);
    }

    // Every dataset of the sweep must report the metric each epoch, or its groups could never be compared.
    private string CheckMetric(string metric, YamlNode node, IReadOnlyList<DatasetRef> datasets)
    {
        if (metric.Length == 0)
        {
            return "";   // reported by Text
        }

        var known = Enum.GetValues<MetricsTask>().SelectMany(MetricKeys.For).Distinct(StringComparer.Ordinal).ToList();
        if (!known.Contains(metric, StringComparer.Ordinal))
        {
            Error(node, $"'{metric}' is not a known metric", $"known: {string.Join(", ", known)}");
            return metric;
        }

        foreach (var dataset in datasets)
        {
            var reported = MetricKeys.For(dataset.Info.Metrics);
            if (!reported.Contains(metric, StringComparer.Ordinal))
            {
                Error(node, string.Create(CultureInfo.InvariantCulture, $"dataset '{dataset.Label}' does not report '{metric}'"),
                    $"pick a metric every dataset of the sweep reports; {dataset.Label} reports {string.Join(", ", reported)}");
            }
        }

        return metric;
    }

    private int AtLeast(YamlNode node, string key, int min, string hint)
    {
        var text = (node as YamlScalarNode)?.Value;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min)
        {
            return value;
        }

        Error(node, string.Create(CultureInfo.InvariantCulture, $"'{key}' must be an integer >= {min}, not '{text ?? node.NodeType.ToString()}'"), hint);
        return min;
    }
}
