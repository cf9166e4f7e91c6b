using MseLab.Datasets.Stored;
using MseLab.Experiments.Datasets;
using MseLab.Training.Data.Synthetic;

namespace MseLab.Training.Data;

/// <summary>Loads the samples a <see cref="DatasetRef"/> names.</summary>
public static class DatasetLoader
{
    /// <summary>All three splits of <paramref name="dataset"/>; stored data from <paramref name="local"/> (default: <see cref="LocalDatasets.FromEnvironment"/>). The caller disposes the result.</summary>
    /// <exception cref="MissingDataRootException">Stored data, and no data root.</exception>
    /// <exception cref="FileNotFoundException">A file of stored data is missing.</exception>
    /// <exception cref="MseLab.Datasets.DatasetFileException">A file is unusable, or the copy has another hash than the pinned one.</exception>
    public static MultimodalDataset Load(DatasetRef dataset, LocalDatasets? local = null) => dataset switch
    {
        SyntheticDatasetRef synthetic => SyntheticDataset.Generate(synthetic),
        StoredDatasetRef stored => StoredDataset.Open(stored, local ?? LocalDatasets.FromEnvironment()),
        _ => throw new NotSupportedException($"Dataset '{dataset}' has no loader."),
    };
}
