using MseLab.Experiments.Datasets;
using MseLab.Experiments.Presets;
using MseLab.Models.Backbones;
using MseLab.Models.Prompting;
using MseLab.Models.Runtime;
using MseLab.Models.Tokenization;
using MseLab.Training.Optimization;
using MseLab.Training.Prompts;
using static TorchSharp.torch;

namespace MseLab.Training.TinyBackbone;

/// <summary>Full-parameter pretraining of a tiny backbone (any family) on <see cref="TinyCorpus"/>, alternating MOSEI and MELD prompts.</summary>
internal sealed class TinyPretraining(ITextTokenizer tokenizer, IReadOnlyDictionary<PaperDataset, PromptTemplate> templates, TinyBackboneOptions options)
{
    /// <summary>Trains the model <paramref name="create"/> makes (under the options' seed) and returns it frozen.</summary>
    public TinyModel Train(Func<TinyModel> create, IProgress<(int Step, double Loss)>? progress, out double finalLoss)
    {
        TinyModel model;
        lock (TorchRuntime.RandomState)
        {
            manual_seed(options.Seed);
            model = create();
        }

        try
        {
            Pretrain(model, progress, out finalLoss);
        }
        catch
        {
            model.Dispose();
            throw;
        }

        foreach (var (_, parameter) in model.Module.named_parameters())
        {
            parameter.requires_grad = false;
        }

        model.Module.eval();
        return model;
    }

    private void Pretrain(TinyModel tiny, IProgress<(int Step, double Loss)>? progress, out double finalLoss)
    {
        var model = tiny.Module;
        var backbone = tiny.Backbone;
        using var optimizer = new AdamW(model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), eps: 1e-8, weightDecay: 0.0);
        var corpus = new TinyCorpus(options.Seed);
        finalLoss = double.NaN;
        var recent = new Queue<double>();
        model.train();
        for (var step = 0; step < options.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var dataset = step % 2 == 0 ? PaperDataset.Mosei : PaperDataset.Meld;
            var (ids, contextLength) = Batch(corpus, dataset, options.BatchSize);
            var logits = backbone.Forward(backbone.EmbedTokens(ids));                           // (B, S, V)
            var vocab = logits.shape[2];
            var lmLoss = nn.functional.cross_entropy(logits[.., ..^1, ..].reshape(-1, vocab), ids[.., 1..].reshape(-1));
            var labelLoss = nn.functional.cross_entropy(logits[.., (contextLength - 1)..^1, ..].reshape(-1, vocab), ids[.., contextLength..].reshape(-1));
            var loss = lmLoss.Plus(labelLoss);
            optimizer.ZeroGrad();
            loss.backward();
            optimizer.Update(options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * step / options.Steps)));
            recent.Enqueue(labelLoss.item<float>());
            if (recent.Count > 20)
            {
                recent.Dequeue();
            }

            finalLoss = recent.Average();
            progress?.Report((step + 1, finalLoss));
        }
    }

    /// <summary>Greedy decoding (the paper's max_new_tokens for the family) with the cue in the pseudo slots: MOSEI sign accuracy and MELD class accuracy on fresh examples.</summary>
    public (double MoseiSign, double MeldAccuracy) Probe(ICausalBackbone model)
    {
        using var noGrad = no_grad();
        var corpus = new TinyCorpus(options.Seed + 7919);
        double Accuracy(PaperDataset dataset, Func<TinyCorpus.Example, float, bool> correct)
        {
            using var scope = NewDisposeScope();
            var template = templates[dataset];
            var examples = Enumerable.Range(0, 64).Select(_ => corpus.Next(dataset)).ToList();
            var ids = tensor(examples.SelectMany(e => template.TokenIds(CueIds(e.Cue, template.PseudoTokens), TextIds(e.Text, template), []).Select(i => (long)i)).ToArray(), [examples.Count, template.ContextLength]);
            var generated = GreedyDecoder.Generate(model, model.EmbedTokens(ids), PaperPresets.Get(options.Family, dataset).MaxNewTokens).data<long>().ToArray();
            var n = generated.Length / examples.Count;
            return examples.Select((e, i) => correct(e, LabelText.Parse(tokenizer.Decode(generated.Skip(i * n).Take(n).Select(x => (int)x).ToArray()), dataset == PaperDataset.Meld))).Average(ok => ok ? 1.0 : 0.0);
        }

        return (Accuracy(PaperDataset.Mosei, (e, p) => (e.Label >= 0) == (p >= 0)), Accuracy(PaperDataset.Meld, (e, p) => e.Label == p));
    }

    private (Tensor Ids, int ContextLength) Batch(TinyCorpus corpus, PaperDataset dataset, int size)
    {
        var template = templates[dataset];
        var examples = Enumerable.Range(0, size).Select(_ => corpus.Next(dataset)).ToList();
        var labels = TokenSequences.LeftPadToLongest(
            examples.Select(e => tokenizer.Encode(LabelText.Format(e.Label, options.Family, dataset == PaperDataset.Meld), addSpecialTokens: false)).ToList(),
            template.PadId);
        var rows = examples.Select((e, i) => template.TokenIds(CueIds(e.Cue, template.PseudoTokens), TextIds(e.Text, template), labels[i])).ToList();
        return (tensor(rows.SelectMany(r => r.Select(i => (long)i)).ToArray(), [size, rows[0].Length]), template.ContextLength);
    }

    private int[] TextIds(string text, PromptTemplate template) =>
        TokenSequences.LeftPadOrTruncate(tokenizer.Encode(text, addSpecialTokens: false), template.TextLength, template.PadId);

    /// <summary>The cue's tokens repeated cyclically over the pseudo-token slots.</summary>
    private int[] CueIds(string cue, int slots)
    {
        var ids = tokenizer.Encode(cue, addSpecialTokens: false);
        return Enumerable.Range(0, slots).Select(i => ids[i % ids.Length]).ToArray();
    }
}
