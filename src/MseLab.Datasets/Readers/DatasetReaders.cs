using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Readers;

/// <summary>Reads a dataset from its official files under a data root (MMSA pickles or the authors' list-of-dict pickles).</summary>
public static class DatasetReaders
{
    /// <summary>
    /// Reads and checks every split of <paramref name="dataset"/> under <paramref name="root"/>. Large arrays stay in the
    /// files; <see cref="FeatureSource.CopySample"/> reads them.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message lists the expected layout.</exception>
    /// <exception cref="DatasetReadException">The content is wrong (counts, shapes, lengths, dims, labels); the message names file, split, key and index.</exception>
    /// <exception cref="Pickles.UnsafePickleException">A file names a global outside the allow-list.</exception>
    /// <exception cref="Pickles.PickleFormatException">A file is truncated or malformed.</exception>
    /// <exception cref="Pickles.UnsupportedPickleException">A file holds a value no dataset needs (a complex dtype, out-of-band buffers, …).</exception>
    public static DatasetSource Open(string root, PaperDataset dataset)
    {
        // Every file is checked before any is read, so a missing one is reported with the whole layout at once.
        var files = DatasetLayout.RequireFiles(root, dataset);
        var info = PaperDatasets.Info(dataset);
        var splits = info.IsClassification ? ErcReader.Read(files, info) : MmsaReader.Read(files[0], info);
        return new DatasetSource(dataset, Path.GetFullPath(root), files, splits);
    }
}
