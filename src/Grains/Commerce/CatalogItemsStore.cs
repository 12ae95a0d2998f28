using AgenteVendedor.Audit;
using AgenteVendedor.Channels;
using AgenteVendedor.Common;
using Dapper;
using Npgsql;

namespace AgenteVendedor.Commerce;

/// <summary>Which skus of an empresa are in the Meta catalog of its WhatsApp channel (whatsapp_catalog_items).</summary>
public sealed class CatalogItemsStore(NpgsqlDataSource database)
{
    private const string PublishedSql = """
        SELECT sku FROM whatsapp_catalog_items WHERE tenant_id = @TenantId AND catalog_id = @CatalogId
        """;

    public async Task<IReadOnlyList<string>> PublishedAsync(Guid tenantId, string catalogId)
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<string>(PublishedSql, new { TenantId = tenantId, CatalogId = catalogId })).AsList();
    }

    /// <summary>The WhatsApp channel's catalog id and which of these skus are in that catalog (one query).</summary>
    private const string OfferableSql = """
        SELECT c.catalog_id AS CatalogId,
               coalesce((SELECT array_agg(i.sku) FROM whatsapp_catalog_items i
                          WHERE i.tenant_id = c.tenant_id AND i.catalog_id = c.catalog_id AND i.sku = ANY(@Skus)), '{}') AS Skus
          FROM channels c
         WHERE c.tenant_id = @TenantId AND c.kind = 'whatsapp' AND c.catalog_id IS NOT NULL
        """;

    // Set by property: Dapper cannot hand a varchar[] column to a record's constructor.
    public sealed class Offerable
    {
        public string CatalogId { get; init; } = "";

        public string[] Skus { get; init; } = [];
    }

    public async Task<Offerable?> OfferableAsync(Guid tenantId, IReadOnlyList<string> skus)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<Offerable>(OfferableSql, new { TenantId = tenantId, Skus = skus.ToArray() });
    }

    private const string UpsertSql = """
        INSERT INTO whatsapp_catalog_items (tenant_id, catalog_id, sku, product_id, pushed_at)
        SELECT @TenantId, @CatalogId, s.sku, s.product_id, now() FROM unnest(@Skus, @ProductIds) AS s(sku, product_id)
        ON CONFLICT (tenant_id, catalog_id, sku) DO UPDATE SET product_id = excluded.product_id, pushed_at = excluded.pushed_at
        """;

    private const string DeleteSql = """
        DELETE FROM whatsapp_catalog_items WHERE tenant_id = @TenantId AND catalog_id = @CatalogId AND sku = ANY(@Skus)
        """;

    /// <summary>What a push got into the catalog and took out of it, with its audit row, in one transaction.</summary>
    public async Task RecordPushAsync(Guid tenantId, Actor actor, Guid channelId, string catalogId, IReadOnlyList<(string Sku, Guid ProductId)> sent,
        IReadOnlyList<string> deleted, CatalogPushSummary summary, bool complete)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(UpsertSql, new
        {
            TenantId = tenantId, CatalogId = catalogId, Skus = sent.Select(s => s.Sku).ToArray(), ProductIds = sent.Select(s => s.ProductId).ToArray(),
        }, transaction);
        await connection.ExecuteAsync(DeleteSql, new { TenantId = tenantId, CatalogId = catalogId, Skus = deleted.ToArray() }, transaction);
        await AuditWriter.WriteAsync(transaction, tenantId, actor.UserId, "canal", channelId.ToString(), "publicar_catalogo", new
        {
            catalog_id = catalogId, enviados = summary.Sent, omitidos = summary.Skipped.Count, eliminados = summary.Deleted, lotes = summary.Batches, completo = complete,
        });
        await transaction.CommitAsync();
    }
}
