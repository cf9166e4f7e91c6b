using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Models.Backbones;
using MseLab.Models.Llama;
using MseLab.Models.Prompting;
using MseLab.Models.Runtime;
using MseLab.Models.Tokenization;
using MseLab.Training.Optimization;
using MseLab.Training.Prompts;
using static TorchSharp.torch;

namespace MseLab.Training.TinyBackbone;

/// <summary>Full-parameter pretraining of a tiny LLaMA on <see cref="TinyCorpus"/>, alternating MOSEI and MELD prompts.</summary>
internal sealed class TinyPretraining(ITextTokenizer tokenizer, IReadOnlyDictionary<PaperDataset, PromptTemplate> templates, TinyBackboneOptions options)
{
    public LlamaForCausalLM Train(LlamaConfig config, IProgress<(int Step, double Loss)>? progress, out double finalLoss)
    {
        LlamaForCausalLM model;
        lock (TorchRuntime.RandomState)
        {
            manual_seed(options.Seed);
            model = new LlamaForCausalLM(config);
        }

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
            var logits = model.forward(ids);                                                    // (B, S, V)
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

        LlamaLoader.Freeze(model);
        return model;
    }

    /// <summary>Greedy decoding with the cue in the pseudo slots: MOSEI sign accuracy and MELD class accuracy on fresh examples.</summary>
    public (double MoseiSign, double MeldAccuracy) Probe(LlamaForCausalLM model)
    {
        using var noGrad = no_grad();
        var corpus = new TinyCorpus(options.Seed + 7919);
        double Accuracy(PaperDataset dataset, Func<TinyCorpus.Example, float, bool> correct)
        {
            using var scope = NewDisposeScope();
            var template = templates[dataset];
            var examples = Enumerable.Range(0, 64).Select(_ => corpus.Next(dataset)).ToList();
            var ids = tensor(examples.SelectMany(e => template.TokenIds(CueIds(e.Cue, template.PseudoTokens), TextIds(e.Text, template), []).Select(i => (long)i)).ToArray(), [examples.Count, template.ContextLength]);
            var generated = GreedyDecoder.Generate(model, model.EmbedTokens(ids), dataset == PaperDataset.Meld ? 2 : 4).data<long>().ToArray();
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
            examples.Select(e => tokenizer.Encode(LabelText.Format(e.Label, BackboneFamily.Llama2, dataset == PaperDataset.Meld), addSpecialTokens: false)).ToList(),
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
