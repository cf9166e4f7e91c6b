namespace MseLab.Store.Records;

/// <summary>
/// The folders a worker lets submitted sweeps name: backbone folders must lie under one of <see cref="Backbones"/>, the
/// sweep's <c>data_root</c> under one of <see cref="Data"/>. A worker with no backbone roots confines nothing (a lab
/// where no worker names one keeps local paths as they are).
/// </summary>
/// <param name="Backbones">Absolute folders holding Hugging Face model folders (<c>--backbone-root</c>, <c>Worker:BackboneRoots</c>).</param>
/// <param name="Data">Absolute folders holding datasets (the worker's <c>--data-root</c>).</param>
public sealed record WorkerRoots(IReadOnlyList<string> Backbones, IReadOnlyList<string> Data)
{
    /// <summary>No roots: nothing confined.</summary>
    public static WorkerRoots None { get; } = new([], []);

    /// <summary>Whether the worker confines the paths of submitted sweeps.</summary>
    public bool Confines => Backbones.Count > 0;
}
