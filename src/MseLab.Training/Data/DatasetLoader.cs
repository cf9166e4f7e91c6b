using MseLab.Experiments.Datasets;
using MseLab.Training.Data.Synthetic;

namespace MseLab.Training.Data;

/// <summary>Loads the samples a <see cref="DatasetRef"/> names.</summary>
public static class DatasetLoader
{
    /// <summary>All three splits of <paramref name="dataset"/>.</summary>
    public static MultimodalDataset Load(DatasetRef dataset) => dataset switch
    {
        SyntheticDatasetRef synthetic => SyntheticDataset.Generate(synthetic),
        _ => throw new NotSupportedException($"Dataset '{dataset}' has no loader."),
    };
}
