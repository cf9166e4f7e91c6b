using MseLab.Datasets.Stored;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Metrics;
using MseLab.Experiments.Presets;
using MseLab.Experiments.Trials;
using MseLab.Models.Adapter;
using MseLab.Models.Backbones;
using MseLab.Models.Prompting;
using MseLab.Models.Runtime;
using MseLab.Models.Tokenization;
using MseLab.Training.Backbones;
using MseLab.Training.Batching;
using MseLab.Training.Data;
using MseLab.Training.Optimization;
using MseLab.Training.Prompts;
using MseLab.Training.Provenance;
using static TorchSharp.torch;

namespace MseLab.Training.Trials;

/// <summary>Everything one trial holds while it runs: frozen backbone, tokenizer, prompt, data, adapter, optimizer.</summary>
internal sealed class TrialSession : IDisposable
{
    private readonly BackboneLease _lease;
    private readonly ICausalBackbone _backbone;
    private readonly ITextTokenizer _tokenizer;
    private readonly PromptTemplate _template;
    private readonly BatchCollator _collator;
    private readonly MseAdapter _adapter;
    private readonly CosineSchedule _schedule;
    private readonly BackboneFamily _family;
    private readonly int _labelPadId;
    private readonly int? _stopTokenId;
    private readonly Device _device;
    private readonly DynamicLossScaler? _scaler;

    private TrialSession(ResolvedTrial trial, MultimodalDataset dataset, BackboneLease lease, ITextTokenizer tokenizer, Device device)
    {
        Trial = trial;
        Dataset = dataset;
        _lease = lease;
        var backbone = _backbone = lease.Backbone;
        _tokenizer = tokenizer;
        _device = device;
        _family = trial.Family;
        MetricsTask = trial.Task;
        var profile = BackboneProfiles.For(_family);
        _template = PromptTemplates.Build(profile, tokenizer, dataset.Info.Dataset, trial.PseudoTokens, trial.TextLength);
        _labelPadId = _template.PadId;
        _stopTokenId = profile.StopTokenId(tokenizer);
        _collator = new BatchCollator(dataset.Info with { TextLength = trial.TextLength }, tokenizer, _template.PadId, device);

        var adapterConfig = new MseAdapterConfig(backbone.HiddenSize, trial.PseudoTokens, dataset.Info.AudioDim, dataset.Info.VideoDim, trial.AudioHidden, trial.VideoHidden);
        _adapter = SeededAdapter.Create(adapterConfig, trial.Seed, device);
        // GradScaler only where the backbone computes in fp16 (precision 'paper' on CUDA); fp32 needs no loss scaling.
        _scaler = backbone.DType == ScalarType.Float16 ? new DynamicLossScaler() : null;

        Optimizer = new AdamW(_adapter.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), trial.AdamEps, trial.WeightDecay);
        var batchesPerEpoch = (dataset.Train.Count + trial.BatchSize - 1) / trial.BatchSize;
        _schedule = new CosineSchedule(trial.LearningRate, (long)batchesPerEpoch * trial.WarmUpEpochs);
    }

    public ResolvedTrial Trial { get; }

    /// <summary>The frozen backbone (tests check that training leaves it bit-identical).</summary>
    internal ICausalBackbone Backbone => _backbone;

    public MultimodalDataset Dataset { get; }

    public MetricsTask MetricsTask { get; }

    public AdamW Optimizer { get; }

    private bool Classification => Dataset.Info.IsClassification;

    /// <summary>
    /// Loads the data (stored data from <paramref name="data"/>, default <see cref="LocalDatasets.FromEnvironment"/>) and the
    /// tokenizer, leases the frozen backbone of <paramref name="backboneDirectory"/> from <paramref name="backbones"/> (default:
    /// the process's pool; shared with the other trials on the same device), and builds a fresh adapter.
    /// </summary>
    public static TrialSession Open(ResolvedTrial trial, string backboneDirectory, BackbonePool? backbones = null, LocalDatasets? data = null)
    {
        backbones ??= BackbonePool.Shared;
        TorchRuntime.Initialize();
        var device = TorchRuntime.ParseDevice(trial.Device);
        // Stored data stays mapped for the whole session: the samples are views into it.
        var dataset = DatasetLoader.Load(trial.Dataset, data);
        BackboneLease? lease = null;
        try
        {
            // The pool applies the precision: the dtype it computes in, and the paper's bf16 -> fp16 weight rounding.
            lease = backbones.Acquire(BackboneKey.Of(backboneDirectory, trial.Family, trial.Precision, device));
            var tokenizer = BackboneLoader.LoadTokenizer(backboneDirectory, trial.Family);
            return new TrialSession(trial, dataset, lease, tokenizer, device);
        }
        catch
        {
            lease?.Dispose();
            dataset.Dispose();
            throw;
        }
    }

    /// <summary>The learning rate the next update takes: the schedule steps for every batch, also for one the loss scaler skipped.</summary>
    public double CurrentLearningRate => _schedule.LearningRate(ScheduleStep);

    private long ScheduleStep => Optimizer.Step + (_scaler?.SkippedSteps ?? 0);

    /// <summary>Restores the latest checkpoint, or starts a fresh state.</summary>
    public TrialState Restore(CheckpointStore store, string configHash)
    {
        var latest = store.LoadLatest();
        if (latest is null)
        {
            return new TrialState { ConfigHash = configHash, ShuffleSeed = Trial.Seed };
        }

        var (state, adapter, optimizer) = latest.Value;
        if (state.ConfigHash != configHash)
        {
            throw new InvalidDataException(
                $"{store.Directory} holds a checkpoint of a different trial configuration. Use another --out folder, or delete it to start over.");
        }

        LoadAdapter(adapter);
        Optimizer.Restore(optimizer, state.Steps);
        return state;
    }

    public (double Loss, int Steps, int Samples) TrainEpoch(int epoch, TrialState state, CheckpointStore store, IProgress<TrialProgress>? progress, CancellationToken cancellationToken)
    {
        _adapter.train();
        var order = Permutation(state.ShuffleSeed, epoch, Dataset.Train.Count);
        var batches = BatchCollator.Batches(Dataset.Train, Trial.BatchSize, order).ToList();
        var lossSum = state.BatchesDoneInEpoch > 0 ? state.EpochLossSum : 0.0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var samples = 0;
        for (var b = state.BatchesDoneInEpoch; b < batches.Count; b++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                store.SaveLatest(state with { BatchesDoneInEpoch = b, EpochLossSum = lossSum, Steps = Optimizer.Step }, AdapterTensors(), Optimizer.State());
                cancellationToken.ThrowIfCancellationRequested();
            }

            var loss = TrainStep(batches[b]);
            if (!double.IsFinite(loss))
            {
                throw new TrialFailedException(
                    $"Loss is {loss} at epoch {epoch}, batch {b + 1} (trial {Trial.Dataset}, seed {Trial.Seed}, lr {Trial.LearningRate}). " +
                    "Lower the learning rate or check the dataset for NaN/inf features; checkpoints up to the previous epoch are kept.");
            }

            lossSum += loss;
            samples += batches[b].Count;
            progress?.Report(new TrialProgress(TrialPhase.Training, epoch, b + 1, batches.Count, loss, samples / Math.Max(1e-9, clock.Elapsed.TotalSeconds)));
        }

        return (lossSum / batches.Count, batches.Count, samples);
    }

    /// <summary>One AdamW update on one batch; returns the batch's mean label-token cross-entropy.</summary>
    private double TrainStep(IReadOnlyList<MultimodalSample> samples)
    {
        using var turn = _lease.Turn();            // released after the scope below has freed this step's tensors
        using var scope = NewDisposeScope();
        using var batch = _collator.Collate(samples);
        var labels = LabelIds(samples);                                                            // (B, K)
        var textEmbeds = _backbone.EmbedTokens(batch.TextIds);                                     // (B, L, D), frozen
        var pseudo = _adapter.call(new AdapterInput(textEmbeds, batch.Audio, batch.AudioLengths, batch.Video, batch.VideoLengths));
        var embeds = _template.Assemble(_backbone, pseudo, textEmbeds, labels);                    // (B, ctx + K, D)
        var k = labels.shape[1];
        var logits = _backbone.Forward(embeds, logitsFrom: _template.ContextLength - 1);           // (B, K + 1, V)
        // Position ctx-1+i predicts label token i; label pads are targets too, as in the official code.
        var loss = nn.functional.cross_entropy(logits[.., ..(int)k, ..].reshape(-1, logits.shape[2]), labels.reshape(-1));
        // The schedule counts batches: a step the loss scaler skips still advances it (the official scheduler.step()
        // runs after every batch), so its index runs ahead of AdamW's step count by the skipped steps.
        var lr = CurrentLearningRate;
        if (_scaler is null)
        {
            loss.backward();
            Optimizer.Update(lr);
        }
        else
        {
            _scaler.ScaleLoss(loss).backward();
            var finite = _scaler.Unscale(_adapter.parameters());
            if (finite)
            {
                Optimizer.Update(lr);
            }

            _scaler.Update(foundInf: !finite);
        }

        Optimizer.ZeroGrad();
        return loss.item<float>();
    }

    /// <summary>Greedy generation on <paramref name="samples"/>, parsed to numbers, scored with the task's metrics.</summary>
    public IReadOnlyDictionary<string, double> Evaluate(IReadOnlyList<MultimodalSample> samples)
    {
        _adapter.eval();
        using var noGrad = no_grad();
        var predictions = new List<float>(samples.Count);
        foreach (var chunk in BatchCollator.Batches(samples, Trial.EvalBatchSize))
        {
            using var turn = _lease.Turn();
            using var scope = NewDisposeScope();
            using var batch = _collator.Collate(chunk);
            var textEmbeds = _backbone.EmbedTokens(batch.TextIds);
            var pseudo = _adapter.call(new AdapterInput(textEmbeds, batch.Audio, batch.AudioLengths, batch.Video, batch.VideoLengths));
            var generated = GreedyDecoder.Generate(_backbone, _template.Assemble(_backbone, pseudo, textEmbeds), Trial.MaxNewTokens, _stopTokenId);
            foreach (var row in GreedyDecoder.Rows(generated, _stopTokenId))
            {
                predictions.Add(LabelText.Parse(_tokenizer.Decode(row), Classification));
            }
        }

        return TaskMetrics.Compute(MetricsTask, samples.Select(s => s.Label).ToList(), predictions);
    }

    public IEnumerable<(string Name, Tensor Value)> AdapterTensors() => _adapter.named_parameters().Select(p => (p.name, (Tensor)p.parameter));

    public void LoadAdapter(IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in _adapter.named_parameters())
        {
            if (!tensors.TryGetValue(name, out var value))
            {
                throw new InvalidDataException($"The adapter checkpoint lacks '{name}'. Delete the trial's checkpoint folder to start over.");
            }

            parameter.copy_(value);
        }
    }

    public TrialProvenance Provenance() => new(
        BuildInfo.Commit,
        BuildInfo.Dirty,
        Environment.MachineName,
        typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
        __version__,
        _device.ToString(),
        Dataset.ProvenanceHash(),
        _adapter.parameters().Where(p => p.requires_grad).Sum(p => p.numel()),
        _backbone.NamedWeights().Sum(w => w.Value.numel()));

    public void Dispose()
    {
        Optimizer.Dispose();
        _adapter.Dispose();
        _tokenizer.Dispose();
        _lease.Dispose();   // the backbone is the pool's: other trials may still hold it
        Dataset.Dispose();  // unmaps stored data (the page cache keeps it for the machine's other trials)
    }

    private Tensor LabelIds(IReadOnlyList<MultimodalSample> samples)
    {
        var encoded = samples.Select(s => _tokenizer.Encode(LabelText.Format(s.Label, _family, Classification), addSpecialTokens: false)).ToList();
        var padded = TokenSequences.LeftPadToLongest(encoded, _labelPadId);
        var k = padded[0].Length;
        return tensor(padded.SelectMany(r => r.Select(i => (long)i)).ToArray(), [samples.Count, k], device: _device);
    }

    private static int[] Permutation(int seed, int epoch, int count)
    {
        // A pure function of (seed, epoch): resuming needs no generator state.
        var random = new Random(unchecked((seed * 1_000_003) ^ epoch));
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        return order;
    }
}
