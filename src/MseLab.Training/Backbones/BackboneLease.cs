using MseLab.Models.Backbones;

namespace MseLab.Training.Backbones;

/// <summary>A trial's hold on a pooled backbone. Disposing it ends the hold (once); it never disposes the backbone itself.</summary>
public sealed class BackboneLease(ICausalBackbone backbone, Action release) : IDisposable
{
    private int _released;

    public ICausalBackbone Backbone { get; } = backbone;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            release();
        }
    }
}
