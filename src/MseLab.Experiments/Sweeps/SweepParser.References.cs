using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using YamlDotNet.RepresentationModel;

namespace MseLab.Experiments.Sweeps;

// The references a sweep names, checked where they stand in the file: backbones, datasets and the data root.
public sealed partial class SweepParser
{
    private BackboneRef? CheckBackbone(string value, YamlNode node)
    {
        if (value.Length == 0)
        {
            return null;   // reported by Text
        }

        var backbone = BackboneRef.Parse(value, Path.GetDirectoryName(Path.GetFullPath(_file)));
        if (backbone is FolderBackbone folder)
        {
            _paths.Add(new SweepPath(SweepPath.Backbones, value, folder.Directory, At(node)));
        }

        try
        {
            // A folder's config.json must exist and name a supported family.
            _ = backbone.Family;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            Error(node, $"backbone '{value}' is not a model folder ({backbone} has no config.json)", $"use a preset ({string.Join(", ", PresetBackbone.All)}) or a Hugging Face model folder, relative to the sweep file");
        }
        catch (InvalidDataException e)
        {
            Error(node, $"backbone '{value}': {e.Message}", $"use a LLaMA, Qwen-1 or ChatGLM3 model folder, or a preset ({string.Join(", ", PresetBackbone.All)})");
        }

        return backbone;
    }

    private DatasetRef? CheckDataset(string value, YamlNode node)
    {
        if (value.Length == 0)
        {
            return null;   // reported by Text
        }

        if (!DatasetRef.TryParse(value, out var dataset, out var error))
        {
            Error(node, error, "e.g. mosei, meld, synthetic:mosei or synthetic:meld?train=480");
        }

        return dataset;
    }

    // Relative to the sweep file's folder, as backbone folders are: a sweep file and its data can move together.
    private string? DataRootPath(YamlNode node)
    {
        var text = Text(node, "data_root");
        if (text.Length == 0)
        {
            return null;   // reported by Text
        }

        try
        {
            var full = Path.GetFullPath(text, Path.GetDirectoryName(Path.GetFullPath(_file))!);
            _paths.Add(new SweepPath(SweepPath.DataRoot, text, full, At(node)));
            return full;
        }
        catch (ArgumentException e)
        {
            Error(node, $"'data_root' is not a path: {e.Message}", "write data_root: /data/mse (or a folder relative to the sweep file)");
            return null;
        }
    }
}
