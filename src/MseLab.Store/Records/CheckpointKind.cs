namespace MseLab.Store.Records;

/// <summary>The two checkpoints a cell keeps in the store (stored by name in <c>checkpoints.Kind</c>).</summary>
public enum CheckpointKind
{
    /// <summary>The resumable state after the last finished epoch: adapter, optimizer moments, history.</summary>
    Latest,

    /// <summary>The adapter of the best validation epoch (what is tested).</summary>
    Best,
}
