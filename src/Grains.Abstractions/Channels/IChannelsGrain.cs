using AgenteVendedor.Common;

namespace AgenteVendedor.Channels;

/// <summary>An empresa's messaging channels (key: empresa id). Secrets are stored encrypted and never returned.</summary>
public interface IChannelsGrain : IGrainWithGuidKey
{
    Task<Outcome<ChannelView>> ConfigureWhatsAppAsync(Actor actor, WhatsAppSettings settings);

    Task<Outcome<ChannelView>> ConfigureTelegramAsync(Actor actor, TelegramSettings settings);

    /// <summary>
    /// Pushes the empresa's active products to the Meta catalog of its WhatsApp channel (Graph API items_batch), deletes
    /// from it what should no longer be there, and writes the audit row. Conflict without a catalog_id; Unavailable when
    /// Meta fails.
    /// </summary>
    Task<Outcome<CatalogPushSummary>> PublishCatalogAsync(Actor actor);

    /// <summary>The empresa's configured channels, without their secrets; ordered by kind.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<ChannelView>> ListAsync();
}

[GenerateSerializer, Immutable, Alias("av.WhatsAppSettings")]
public sealed record WhatsAppSettings(
    [property: Id(0)] string PhoneNumberId, [property: Id(1)] string AccessToken,
    [property: Id(2)] string AppSecret, [property: Id(3)] string VerifyToken,
    [property: Id(4)] string? WabaId = null, [property: Id(5)] string? CatalogId = null);

[GenerateSerializer, Immutable, Alias("av.TelegramSettings")]
public sealed record TelegramSettings([property: Id(0)] string BotToken, [property: Id(1)] string SecretToken);

/// <param name="WabaId">WhatsApp only: the WhatsApp Business Account that holds the number's message templates, when configured.</param>
[GenerateSerializer, Immutable, Alias("av.ChannelView")]
public sealed record ChannelView(
    [property: Id(0)] Guid Id, [property: Id(1)] string Kind, [property: Id(2)] string ExternalId, [property: Id(3)] DateTime UpdatedAt,
    [property: Id(4)] string? WabaId = null, [property: Id(5)] string? CatalogId = null);

/// <summary>Receives the platforms' webhooks (stateless): checks them, stores each message once, wakes its conversation.</summary>
public interface IWebhookGrain : IGrainWithIntegerKey
{
    /// <summary>Meta's GET verification: the challenge to echo back, or null (403).</summary>
    Task<string?> VerifyWhatsAppAsync(string? mode, string? verifyToken, string? challenge);

    Task<WebhookResult> AcceptWhatsAppAsync(byte[] body, string? signature);

    Task<WebhookResult> AcceptTelegramAsync(Guid channelId, byte[] body, string? secretToken);
}

public enum WebhookResult
{
    Accepted = 1,
    Unauthorized = 2,
    Malformed = 3,
    UnknownChannel = 4,

    /// <summary>The channel exists but its secrets cannot be opened here (a key missing from the configuration): retry later.</summary>
    Unavailable = 5,
}

/// <summary>What a catalog push did: products sent, products Meta would refuse (not sent, with why), items deleted, batches used.</summary>
[GenerateSerializer, Immutable, Alias("av.CatalogPushSummary")]
public sealed record CatalogPushSummary(
    [property: Id(0)] int Sent, [property: Id(1)] IReadOnlyList<SkippedProduct> Skipped, [property: Id(2)] int Deleted, [property: Id(3)] int Batches);

[GenerateSerializer, Immutable, Alias("av.SkippedProduct")]
public sealed record SkippedProduct([property: Id(0)] string Sku, [property: Id(1)] string Reason);
