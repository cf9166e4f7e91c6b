using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MseLab.Store.Migrations.Postgres
{
    /// <summary>
    /// The SQL views for people who read the store with psql, pandas or DuckDB: <c>trial_results</c> (one row per trial:
    /// configuration, status and one column per test metric), <c>epoch_metrics</c> (one row per stored epoch, one column per
    /// validation metric) and <c>seed_groups</c> (mean, sample variance and std, n of each test metric per seed group).
    /// </summary>
    /// <remarks>
    /// Views are not part of the EF model, so the model snapshot does not change. A migration is history: this one keeps its own
    /// copy of the SQL (and of the metric names, those of <c>MetricKeys</c> when it was written), and a later change to a view
    /// is a new migration that drops and creates it again (Postgres also refuses to alter the type of a column a view reads
    /// until the view is dropped). A metric value that is not a finite number (NaN or an infinity) reads NULL, and
    /// <c>seed_groups</c> leaves it out, as <c>Leaderboard.Summarise</c> does.
    /// </remarks>
    public partial class ResultViews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(TrialResults);
            migrationBuilder.Sql(EpochMetrics);
            migrationBuilder.Sql(SeedGroups);
            migrationBuilder.Sql("COMMENT ON VIEW trial_results IS 'One row per trial: configuration, status and one column per test metric (NULL: not measured or not finite).'");
            migrationBuilder.Sql("COMMENT ON VIEW epoch_metrics IS 'One row per stored epoch: training loss, learning rate and one column per validation metric.'");
            migrationBuilder.Sql("COMMENT ON VIEW seed_groups IS 'One row per seed group and test metric: mean, sample variance and std over the finished cells with a finite value (n).'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW IF EXISTS seed_groups");
            migrationBuilder.Sql("DROP VIEW IF EXISTS epoch_metrics");
            migrationBuilder.Sql("DROP VIEW IF EXISTS trial_results");
        }

        // A column per metric name that any task stores, pivoted from test_metrics by one lateral aggregate per trial (one index
        // range scan, not one per metric); the dataset name is the dataset before any @pin or ?parameters, lower case (as
        // DatasetNames.Of).
        private const string TrialResults = """
            CREATE VIEW trial_results AS
            SELECT
                t."SweepId" AS sweep,
                t."Key" AS trial_key,
                t."SeedGroup" AS seed_group,
                t."Backbone" AS backbone,
                c."BackboneFamily" AS family,
                t."Dataset" AS dataset,
                lower(trim(split_part(split_part(t."Dataset", '@', 1), '?', 1))) AS dataset_name,
                c."Task" AS task,
                t."Seed" AS seed,
                t."LearningRate" AS lr,
                c."BatchSize" AS batch_size,
                c."EvalBatchSize" AS eval_batch_size,
                c."WarmUpEpochs" AS warm_up_epochs,
                c."EarlyStop" AS early_stop,
                c."PseudoTokens" AS pseudo_tokens,
                c."AudioHidden" AS audio_hidden,
                c."VideoHidden" AS video_hidden,
                c."TextLength" AS text_length,
                c."MaxNewTokens" AS max_new_tokens,
                t."MaxEpochs" AS max_epochs,
                c."AdamEps" AS adam_eps,
                c."WeightDecay" AS weight_decay,
                coalesce(c."Precision", 'fp32') AS precision,
                t."DeviceKind" AS device_kind,
                t."Status" AS status,
                t."Attempt" AS attempt,
                t."Failures" AS failures,
                t."Device" AS device,
                t."Epoch" AS epoch,
                t."TrainLoss" AS train_loss,
                t."BestEpoch" AS best_epoch,
                t."BestValidation" AS best_valid,
                t."StoppedBy" AS stopped_by,
                t."Error" AS error,
                t."QueuedAt" AS queued_at,
                t."StartedAt" AS started_at,
                t."FinishedAt" AS finished_at,
                t."Seconds" AS seconds,
                m.test_has0_acc2,
                m.test_has0_f1,
                m.test_non0_acc2,
                m.test_non0_f1,
                m.test_acc5,
                m.test_acc7,
                m.test_mae,
                m.test_corr,
                m.test_acc2,
                m.test_acc2_weak,
                m.test_acc3,
                m.test_f1,
                m.test_r2,
                m.test_acc,
                m.test_weighted_f1
            FROM trials AS t
            CROSS JOIN LATERAL jsonb_to_record(t."ResolvedConfig"::jsonb) AS c(
                "BackboneFamily" text, "Task" text, "BatchSize" integer, "EvalBatchSize" integer, "WarmUpEpochs" integer,
                "EarlyStop" integer, "PseudoTokens" integer, "AudioHidden" integer, "VideoHidden" integer,
                "TextLength" integer, "MaxNewTokens" integer, "AdamEps" double precision, "WeightDecay" double precision,
                "Precision" text)
            LEFT JOIN LATERAL (
                SELECT
                    max(x."Value") FILTER (WHERE x."Name" = 'has0_acc2') AS test_has0_acc2,
                    max(x."Value") FILTER (WHERE x."Name" = 'has0_f1') AS test_has0_f1,
                    max(x."Value") FILTER (WHERE x."Name" = 'non0_acc2') AS test_non0_acc2,
                    max(x."Value") FILTER (WHERE x."Name" = 'non0_f1') AS test_non0_f1,
                    max(x."Value") FILTER (WHERE x."Name" = 'acc5') AS test_acc5,
                    max(x."Value") FILTER (WHERE x."Name" = 'acc7') AS test_acc7,
                    max(x."Value") FILTER (WHERE x."Name" = 'mae') AS test_mae,
                    max(x."Value") FILTER (WHERE x."Name" = 'corr') AS test_corr,
                    max(x."Value") FILTER (WHERE x."Name" = 'acc2') AS test_acc2,
                    max(x."Value") FILTER (WHERE x."Name" = 'acc2_weak') AS test_acc2_weak,
                    max(x."Value") FILTER (WHERE x."Name" = 'acc3') AS test_acc3,
                    max(x."Value") FILTER (WHERE x."Name" = 'f1') AS test_f1,
                    max(x."Value") FILTER (WHERE x."Name" = 'r2') AS test_r2,
                    max(x."Value") FILTER (WHERE x."Name" = 'acc') AS test_acc,
                    max(x."Value") FILTER (WHERE x."Name" = 'weighted_f1') AS test_weighted_f1
                FROM test_metrics AS x
                WHERE x."SweepId" = t."SweepId" AND x."TrialKey" = t."Key" AND abs(x."Value") < 'Infinity'::double precision) AS m ON true
            """;

        private const string EpochMetrics = """
            CREATE VIEW epoch_metrics AS
            SELECT
                t."SweepId" AS sweep,
                t."Key" AS trial_key,
                t."SeedGroup" AS seed_group,
                t."Backbone" AS backbone,
                t."ResolvedConfig"::jsonb ->> 'BackboneFamily' AS family,
                t."Dataset" AS dataset,
                lower(trim(split_part(split_part(t."Dataset", '@', 1), '?', 1))) AS dataset_name,
                t."Seed" AS seed,
                t."LearningRate" AS lr,
                e."Epoch" AS epoch,
                e."Attempt" AS attempt,
                e."TrainLoss" AS train_loss,
                e."LearningRate" AS learning_rate,
                e."Seconds" AS seconds,
                e."SamplesPerSecond" AS samples_per_second,
                CASE WHEN jsonb_typeof(v.has0_acc2) = 'number' THEN v.has0_acc2::double precision END AS valid_has0_acc2,
                CASE WHEN jsonb_typeof(v.has0_f1) = 'number' THEN v.has0_f1::double precision END AS valid_has0_f1,
                CASE WHEN jsonb_typeof(v.non0_acc2) = 'number' THEN v.non0_acc2::double precision END AS valid_non0_acc2,
                CASE WHEN jsonb_typeof(v.non0_f1) = 'number' THEN v.non0_f1::double precision END AS valid_non0_f1,
                CASE WHEN jsonb_typeof(v.acc5) = 'number' THEN v.acc5::double precision END AS valid_acc5,
                CASE WHEN jsonb_typeof(v.acc7) = 'number' THEN v.acc7::double precision END AS valid_acc7,
                CASE WHEN jsonb_typeof(v.mae) = 'number' THEN v.mae::double precision END AS valid_mae,
                CASE WHEN jsonb_typeof(v.corr) = 'number' THEN v.corr::double precision END AS valid_corr,
                CASE WHEN jsonb_typeof(v.acc2) = 'number' THEN v.acc2::double precision END AS valid_acc2,
                CASE WHEN jsonb_typeof(v.acc2_weak) = 'number' THEN v.acc2_weak::double precision END AS valid_acc2_weak,
                CASE WHEN jsonb_typeof(v.acc3) = 'number' THEN v.acc3::double precision END AS valid_acc3,
                CASE WHEN jsonb_typeof(v.f1) = 'number' THEN v.f1::double precision END AS valid_f1,
                CASE WHEN jsonb_typeof(v.r2) = 'number' THEN v.r2::double precision END AS valid_r2,
                CASE WHEN jsonb_typeof(v.acc) = 'number' THEN v.acc::double precision END AS valid_acc,
                CASE WHEN jsonb_typeof(v.weighted_f1) = 'number' THEN v.weighted_f1::double precision END AS valid_weighted_f1
            FROM epochs AS e
            JOIN trials AS t ON t."SweepId" = e."SweepId" AND t."Key" = e."TrialKey"
            CROSS JOIN LATERAL jsonb_to_record(e."Validation"::jsonb) AS v(
                has0_acc2 jsonb, has0_f1 jsonb, non0_acc2 jsonb, non0_f1 jsonb, acc5 jsonb, acc7 jsonb, mae jsonb, corr jsonb,
                acc2 jsonb, acc2_weak jsonb, acc3 jsonb, f1 jsonb, r2 jsonb, acc jsonb, weighted_f1 jsonb)
            """;

        private const string SeedGroups = """
            CREATE VIEW seed_groups AS
            WITH groups AS (
                SELECT
                    "SweepId" AS sweep,
                    "SeedGroup" AS seed_group,
                    min("Backbone") AS backbone,
                    min("ResolvedConfig"::jsonb ->> 'BackboneFamily') AS family,
                    min("Dataset") AS dataset,
                    min(lower(trim(split_part(split_part("Dataset", '@', 1), '?', 1)))) AS dataset_name,
                    min("LearningRate") AS lr,
                    count(*) FILTER (WHERE "Status" = 'Succeeded') AS finished,
                    count(*) AS planned
                FROM trials
                GROUP BY "SweepId", "SeedGroup"),
            spreads AS (
                SELECT t."SweepId" AS sweep, t."SeedGroup" AS seed_group, m."Name" AS metric, count(v.value) AS n, avg(v.value) AS mean,
                    var_samp(v.value) AS variance, stddev_samp(v.value) AS std
                FROM test_metrics AS m
                JOIN trials AS t ON t."SweepId" = m."SweepId" AND t."Key" = m."TrialKey"
                CROSS JOIN LATERAL (SELECT CASE WHEN abs(m."Value") < 'Infinity'::double precision THEN m."Value" END AS value) AS v
                WHERE t."Status" = 'Succeeded'
                GROUP BY t."SweepId", t."SeedGroup", m."Name")
            SELECT g.sweep, g.seed_group, g.backbone, g.family, g.dataset, g.dataset_name, g.lr, s.metric, s.n, g.finished, g.planned, s.mean, s.variance, s.std
            FROM groups AS g
            JOIN spreads AS s ON s.sweep = g.sweep AND s.seed_group = g.seed_group
            """;
    }
}
