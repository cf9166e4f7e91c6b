using MseLab.Models.Backbones;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.Backbones;

/// <summary>
/// A fake backbone whose greedy choice is scripted: call k of <see cref="Forward"/> puts the largest logit of row r on
/// <c>script[r][k]</c>. It counts its forward calls, so tests see when generation ended.
/// </summary>
internal sealed class ScriptedBackbone(long[][] script, int vocabSize) : ICausalBackbone
{
    public int Calls { get; private set; }

    public int HiddenSize => 1;

    public int VocabSize => vocabSize;

    public int Layers => 1;

    public ScalarType DType => ScalarType.Float32;

    public Device Device => CPU;

    public Tensor EmbedTokens(Tensor ids) => ids.to(ScalarType.Float32).unsqueeze(-1);   // (B, T, 1)

    public Tensor Forward(Tensor inputsEmbeds, KvCache? cache = null, long logitsFrom = 0)
    {
        var step = Calls++;
        var rows = inputsEmbeds.shape[0];
        var logits = zeros(rows, inputsEmbeds.shape[1] - logitsFrom, vocabSize);
        for (var r = 0; r < rows; r++)
        {
            logits[r, -1, script[r][step]] = tensor(1f);
        }

        return logits;
    }

    public IEnumerable<(string Name, Tensor Value)> NamedWeights() => [];

    public void Dispose()
    {
    }
}
