namespace MseLab.Store.Records;

/// <summary>
/// One stored epoch of one cell with the cell's configuration (<c>mselab results --epochs</c>): a learning-curve point.
/// </summary>
/// <param name="SweepId">The sweep.</param>
/// <param name="Key">The cell's key within the sweep.</param>
/// <param name="Backbone">The cell's backbone.</param>
/// <param name="Dataset">The cell's dataset reference.</param>
/// <param name="Seed">The cell's seed.</param>
/// <param name="LearningRate">The configured (peak) learning rate of the cell.</param>
/// <param name="Epoch">The epoch number, as stored.</param>
/// <param name="TrainLoss">Mean training loss of the epoch.</param>
/// <param name="EpochLearningRate">The learning rate the schedule gave this epoch.</param>
/// <param name="Validation">Every validation metric of the epoch, by name.</param>
public sealed record EpochRow(
    string SweepId,
    string Key,
    string Backbone,
    string Dataset,
    int Seed,
    double LearningRate,
    int Epoch,
    double TrainLoss,
    double EpochLearningRate,
    IReadOnlyDictionary<string, double> Validation);
