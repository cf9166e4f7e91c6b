using MseLab.Experiments.Trials;

namespace MseLab.Experiments.Planning;

/// <summary>
/// One distinct memory need of a sweep: the cells that share a backbone, dataset, precision, batch sizes and sequence
/// lengths need the same memory.
/// </summary>
/// <param name="Backbone">The backbone's label (preset name or folder name).</param>
/// <param name="Dataset">The dataset's label.</param>
/// <param name="Precision">The cells' precision.</param>
/// <param name="BatchSize">Training batch.</param>
/// <param name="EvalBatchSize">Evaluation (generation) batch.</param>
/// <param name="TrainSequence">Training sequence: context plus label tokens.</param>
/// <param name="Cells">How many cells of the sweep have this need.</param>
/// <param name="Shape">The backbone's sizes.</param>
/// <param name="Estimate">The memory each of those cells needs.</param>
public sealed record PlanRow(
    string Backbone,
    string Dataset,
    TrialPrecision Precision,
    int BatchSize,
    int EvalBatchSize,
    int TrainSequence,
    int Cells,
    BackboneShape Shape,
    MemoryEstimate Estimate);
