using MseLab.Models.Backbones;
using MseLab.Models.Runtime;

namespace MseLab.Training.Backbones;

/// <summary>
/// A trial's hold on a pooled backbone. Disposing it ends the hold (once); it never disposes the backbone itself. Where
/// the pool gives the backbone turns (one step at a time on a GPU), a trial runs each training step and evaluation batch
/// inside <see cref="Turn"/>, so the activations of only one step live at a time, whatever the number of trials.
/// </summary>
public sealed class BackboneLease(ICausalBackbone backbone, SemaphoreSlim? turns, Action release) : IDisposable
{
    private int _released;

    public ICausalBackbone Backbone { get; } = backbone;

    /// <summary>Waits for the backbone's turn (at once where the pool gives no turns); dispose the result when the step's tensors are freed.</summary>
    public IDisposable Turn()
    {
        if (turns is null)
        {
            return NoTurn.Instance;
        }

        turns.Wait();
        return new TurnHeld(turns, Backbone.Device.type == TorchSharp.DeviceType.CPU);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            release();
        }
    }

    private sealed class TurnHeld(SemaphoreSlim turns, bool hostMemory) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                if (hostMemory)
                {
                    NativeHeap.Trim();   // the step's freed activations sit in this thread's malloc arena: give them back first
                }

                turns.Release();
            }
        }
    }

    private sealed class NoTurn : IDisposable
    {
        public static readonly NoTurn Instance = new();

        public void Dispose()
        {
        }
    }
}
