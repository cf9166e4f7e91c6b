using System.Text;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Readers;

/// <summary>
/// Where each dataset's files lie under a data root, as the official configs build the paths (datasets.md §1):
/// <c>MOSEI/Processed/unaligned_50.pkl</c>, <c>SIMS_V2/ch-simsv2s.pkl</c>, <c>MELD/meld_{train,valid,test}.pkl</c>,
/// <c>CHERMA0723/cherma_{train,valid,test}.pkl</c>, <c>MOSI/Processed/unaligned_50.pkl</c>, <c>SIMS/Processed/unaligned_39.pkl</c>.
/// </summary>
public static class DatasetLayout
{
    private const string ProcessedSuffix = "processed";

    /// <summary>The files of <paramref name="dataset"/>, relative to the data root, in a fixed order.</summary>
    public static IReadOnlyList<string> RelativeFiles(PaperDataset dataset) => dataset switch
    {
        PaperDataset.Mosei => ["MOSEI/Processed/unaligned_50.pkl"],
        PaperDataset.SimsV2 => ["SIMS_V2/ch-simsv2s.pkl"],

        // os.path.join(dataPath, datasetName + '_' + mode + '.pkl'), mode in train/valid/test, the prefix lower case.
        PaperDataset.Meld => PerSplit("MELD/meld"),
        PaperDataset.Cherma => PerSplit("CHERMA0723/cherma"),

        // MMSA's paths (MSE-Adapter's configs carry them too, outside the paper).
        PaperDataset.Mosi => ["MOSI/Processed/unaligned_50.pkl"],
        PaperDataset.Sims => ["SIMS/Processed/unaligned_39.pkl"],
        _ => throw new ArgumentOutOfRangeException(nameof(dataset), dataset, "Unknown paper data set."),
    };

    /// <summary>The absolute paths of <paramref name="dataset"/>'s files under <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> Files(string root, PaperDataset dataset) =>
        [.. RelativeFiles(dataset).Select(f => Path.GetFullPath(Path.Combine(root, f)))];

    /// <summary>A readable description of the expected layout under <paramref name="root"/> (for errors).</summary>
    public static string Describe(string root, PaperDataset dataset)
    {
        var full = Path.GetFullPath(root);
        var text = new StringBuilder($"{PaperDatasets.Info(dataset).Name} is read from these files under the data root {full}:");
        foreach (var relative in RelativeFiles(dataset))
        {
            var found = File.Exists(Path.Combine(full, relative));
            text.Append(Environment.NewLine).Append($"  {relative}{(found ? "" : "   (missing)")}");
        }

        return text.ToString();
    }

    /// <summary>The absolute paths of <paramref name="dataset"/>'s files, after checking that every one exists.</summary>
    /// <exception cref="FileNotFoundException">
    /// A file is missing: the message lists the expected layout, what the expected folder holds instead, and a sibling
    /// folder that looks like the dataset under another name (the Hugging Face repos are named <c>*_processed</c>).
    /// </exception>
    public static IReadOnlyList<string> RequireFiles(string root, PaperDataset dataset)
    {
        var files = Files(root, dataset);
        var missing = files.FirstOrDefault(f => !File.Exists(f));
        return missing is null ? files : throw new FileNotFoundException(MissingMessage(root, dataset), missing);
    }

    private static string MissingMessage(string root, PaperDataset dataset)
    {
        var full = Path.GetFullPath(root);
        var text = new StringBuilder(Describe(root, dataset));
        if (!Directory.Exists(full))
        {
            text.Append(Environment.NewLine).Append($"The data root {full} does not exist: pass the folder that holds the dataset folders.");
            return text.ToString();
        }

        var folder = RelativeFiles(dataset)[0].Split('/')[0];
        var folderPath = Path.Combine(full, folder);
        if (Directory.Exists(folderPath))
        {
            var found = Directory.EnumerateFiles(folderPath, "*.pkl", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(full, f).Replace(Path.DirectorySeparatorChar, '/'))
                .Order(StringComparer.Ordinal)
                .Take(10)
                .ToList();
            text.Append(Environment.NewLine).Append(found.Count == 0
                ? $"{folder}/ holds no .pkl files."
                : $"Found there: {string.Join(", ", found)}. Each file must have the name above: rename or link it.");
        }
        else
        {
            var sibling = Directory.EnumerateDirectories(full)
                .Select(Path.GetFileName)
                .FirstOrDefault(name => name is not null && Normalized(name) == Normalized(folder));
            text.Append(Environment.NewLine).Append(sibling is null
                ? $"There is no folder {folder}/ under the data root."
                : $"There is no folder {folder}/, but there is {sibling}/: the official code expects the folder to be named {folder} " +
                  $"(the Hugging Face repositories are named *_processed). Rename it or link it: ln -s {sibling} {Path.Combine(full, folder)}");
        }

        return text.ToString();
    }

    // MOSEI_processed, mosei and Mosei-Processed all name MOSEI; SIMSV2_processed names SIMS_V2.
    private static string Normalized(string folder)
    {
        var letters = new string([.. folder.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
        return letters.EndsWith(ProcessedSuffix, StringComparison.Ordinal) ? letters[..^ProcessedSuffix.Length] : letters;
    }

    private static string[] PerSplit(string prefix) => [.. DatasetSplits.All.Select(split => $"{prefix}_{split}.pkl")];
}
