using System.Globalization;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Trials;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MseLab.Experiments.Sweeps;

/// <summary>
/// Reads a sweep YAML file and validates it completely before anything is queued: unknown keys, wrong types, empty
/// axes, invalid datasets and missing backbone folders are all collected with FILE:LINE:COLUMN and a hint.
/// </summary>
public sealed partial class SweepParser
{
    private static readonly string[] TopLevelKeys = ["name", "base", "backbones", "datasets", "seeds", "grid", "random", "resources", "retries", "priority", "precision", "data_root", "early_stopping"];

    private readonly List<SweepError> _errors = [];
    private readonly List<SweepPath> _paths = [];
    private readonly string _file;

    private SweepParser(string file) => _file = file;

    /// <summary>Parses <paramref name="path"/>; throws <see cref="SweepValidationException"/> listing every error.</summary>
    public static SweepDefinition Parse(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"Sweep file {path} does not exist (see experiments/ for examples).", path);
        }

        return new SweepParser(path).Read(System.IO.File.ReadAllText(path));
    }

    /// <summary>Parses YAML text; <paramref name="file"/> names it in errors and anchors relative backbone paths.</summary>
    public static SweepDefinition Parse(string yaml, string file) => new SweepParser(file).Read(yaml);

    private SweepDefinition Read(string yaml)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            throw new SweepValidationException([new SweepError(_file, (int)ex.Start.Line, (int)ex.Start.Column, $"not valid YAML: {ex.Message}", "check indentation and brackets")]);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner gives up on some malformed input (an unclosed '[' among them) without a position: the
            // error is just after the last event it read.
            var at = parser.Current?.End ?? Mark.Empty;
            throw new SweepValidationException([new SweepError(_file, Math.Max(1, (int)at.Line), Math.Max(1, (int)at.Column), $"not valid YAML ({ex.Message})", "check for an unclosed '[', '{' or quote")]);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new SweepValidationException([new SweepError(_file, 1, 1, "a sweep file is one YAML mapping", "start with 'name:', 'backbones:', 'datasets:', 'seeds:'")]);
        }

        var keys = CheckKeys(root, TopLevelKeys, "top level");
        var definition = new SweepDefinition
        {
            File = _file,
            Name = keys.TryGetValue("name", out var name) ? Text(name, "name") : Path.GetFileNameWithoutExtension(_file),
            Base = keys.TryGetValue("base", out var baseNode) ? HyperparameterMap(baseNode, "base") : new Dictionary<string, double>(),
            Backbones = Required(keys, root, "backbones", n => Texts(n, "backbones")).Select(b => CheckBackbone(b.Value, b.Node)).OfType<BackboneRef>().ToList(),
            Datasets = Required(keys, root, "datasets", n => Texts(n, "datasets")).Select(d => CheckDataset(d.Value, d.Node)).OfType<DatasetRef>().ToList(),
            Seeds = Required(keys, root, "seeds", n => Texts(n, "seeds")).Select(s => Integer(s.Node, "seeds")).ToList(),
            Grid = keys.TryGetValue("grid", out var grid) ? GridAxes(grid) : [],
            Precisions = keys.TryGetValue("precision", out var precision) ? Precisions(precision) : [TrialPrecision.Fp32],
            Retries = keys.TryGetValue("retries", out var retries) ? Integer(retries, "retries", min: 0) : 2,
            Priority = keys.TryGetValue("priority", out var priority) ? Integer(priority, "priority", min: int.MinValue) : 0,
            DataRoot = keys.TryGetValue("data_root", out var dataRoot) ? DataRootPath(dataRoot) : null,
        };

        if (keys.TryGetValue("random", out var random))
        {
            definition = ReadRandom(definition, random);
        }

        if (keys.TryGetValue("resources", out var resources))
        {
            definition = ReadResources(definition, resources);
        }

        if (keys.TryGetValue("early_stopping", out var earlyStopping))
        {
            definition = definition with { EarlyStopping = ReadEarlyStopping(earlyStopping, definition.Datasets) };
        }

        return _errors.Count > 0 ? throw new SweepValidationException(_errors) : definition with { Paths = [.. _paths] };
    }

    private Dictionary<string, YamlNode> CheckKeys(YamlMappingNode map, string[] allowed, string where)
    {
        var keys = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            var key = ((keyNode as YamlScalarNode)?.Value) ?? "";
            if (!allowed.Contains(key))
            {
                Error(keyNode, $"unknown key '{key}' in {where}", $"allowed: {string.Join(", ", allowed)}");
                continue;
            }

            keys[key] = value;
        }

        return keys;
    }

    private List<(string Value, YamlNode Node)> Required(Dictionary<string, YamlNode> keys, YamlNode parent, string key, Func<YamlNode, List<(string, YamlNode)>> read)
    {
        if (!keys.TryGetValue(key, out var node))
        {
            Error(parent, $"'{key}' is missing", $"add '{key}: [...]' with at least one entry");
            return [];
        }

        var values = read(node);
        if (values.Count == 0 && node is YamlSequenceNode)
        {
            Error(node, $"'{key}' is empty", "an empty axis would make an empty sweep; list at least one value");
        }

        return values;
    }

    private List<(string, YamlNode)> Texts(YamlNode node, string key)
    {
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, $"'{key}' must be a list", $"write {key}: [a, b]");
            return [];
        }

        return sequence.Children.Select(c => (Text(c, key), c)).ToList();
    }

    private string Text(YamlNode node, string key)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } value })
        {
            return value;
        }

        Error(node, $"'{key}' must be a plain value", "write a string or a number, not a list or mapping");
        return "";
    }

    private int Integer(YamlNode node, string key, int min = 0)
    {
        var text = node is YamlScalarNode scalar ? scalar.Value : null;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min)
        {
            return value;
        }

        Error(node, $"'{key}' must be an integer{(min == 0 ? " >= 0" : "")}, not '{text ?? node.NodeType.ToString()}'", "e.g. 1111");
        return 0;
    }

    private double Number(YamlNode node, string key)
    {
        var text = node is YamlScalarNode scalar ? scalar.Value : null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        Error(node, $"'{key}' must be a number, not '{text ?? node.NodeType.ToString()}'", "e.g. 5e-4");
        return 0;
    }

    private double Hyperparameter(YamlNode node, string name)
    {
        var value = Number(node, name);
        if (Hyperparameters.IsInteger(name) && (value != Math.Floor(value) || value < 1))
        {
            Error(node, $"'{name}' must be a positive integer, not {value.ToString(CultureInfo.InvariantCulture)}", "e.g. 8");
        }
        else if (!Hyperparameters.IsInteger(name) && value <= 0 && name != "weight_decay")
        {
            Error(node, $"'{name}' must be positive", "e.g. 5e-4");
        }

        return value;
    }

    private Dictionary<string, double> HyperparameterMap(YamlNode node, string where)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in Mapping(node, where))
        {
            result[key] = Hyperparameter(value, key);
        }

        return result;
    }

    private IEnumerable<(string Key, YamlNode Value)> Mapping(YamlNode node, string where)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, $"'{where}' must be a mapping", $"write {where}: {{lr: 5e-4}}");
            yield break;
        }

        foreach (var (keyNode, value) in map.Children)
        {
            var key = ((keyNode as YamlScalarNode)?.Value) ?? "";
            if (!Hyperparameters.IsKnown(key))
            {
                Error(keyNode, $"unknown hyperparameter '{key}' in {where}", $"known: {string.Join(", ", Hyperparameters.Names)}");
                continue;
            }

            yield return (key, value);
        }
    }

    private List<KeyValuePair<string, IReadOnlyList<double>>> GridAxes(YamlNode node)
    {
        var axes = new List<KeyValuePair<string, IReadOnlyList<double>>>();
        foreach (var (key, value) in Mapping(node, "grid"))
        {
            if (value is not YamlSequenceNode { Children.Count: > 0 } sequence)
            {
                Error(value, $"grid axis '{key}' must be a non-empty list", $"write {key}: [5e-5, 5e-4]");
                continue;
            }

            axes.Add(new(key, sequence.Children.Select(v => Hyperparameter(v, key)).ToList()));
        }

        return axes;
    }

    private string At(YamlNode node) => $"{_file}:{node.Start.Line}:{node.Start.Column}";

    private void Error(YamlNode node, string message, string hint) =>
        _errors.Add(new SweepError(_file, (int)node.Start.Line, (int)node.Start.Column, message, hint));
}
