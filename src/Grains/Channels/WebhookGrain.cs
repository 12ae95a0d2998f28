using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AgenteVendedor.Conversations;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace AgenteVendedor.Channels;

/// <summary>
/// Checks a delivery (signature or secret token), turns each message into an inbox row — unique by
/// the platform's id, so a repeated delivery stores nothing — and wakes the conversations that got
/// one. It never waits for the answer: the platform gets its 200 at once.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class WebhookGrain(ChannelStore store, SecretBox secrets, ILogger<WebhookGrain> logger) : Grain, IWebhookGrain
{
    // Channel lookups are cached briefly: a reconfigured channel is seen within this time.
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly Dictionary<(string Kind, string ExternalId), (ChannelRecord? Record, DateTime Until)> _channels = [];

    private async Task<ChannelRecord?> ChannelAsync(string kind, string externalId)
    {
        var now = DateTime.UtcNow;
        if (_channels.TryGetValue((kind, externalId), out var cached) && cached.Until > now)
        {
            return cached.Record;
        }

        var record = await store.FindByExternalIdAsync(kind, externalId);
        _channels[(kind, externalId)] = (record, now + CacheFor);
        return record;
    }

    public async Task<string?> VerifyWhatsAppAsync(string? mode, string? verifyToken, string? challenge)
    {
        if (mode != "subscribe" || string.IsNullOrEmpty(verifyToken) || string.IsNullOrEmpty(challenge))
        {
            return null;
        }

        // The token is per empresa and Meta does not say which phone number it is for: try each (constant time).
        foreach (var channel in await store.AllOfKindAsync(ChannelKinds.WhatsApp))
        {
            var expected = secrets.Open<WhatsAppSecrets>(channel.Secrets).VerifyToken;
            if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(verifyToken)))
            {
                return challenge;
            }
        }

        return null;
    }

    public async Task<WebhookResult> AcceptWhatsAppAsync(byte[] body, string? signature)
    {
        JsonNode? payload;
        try
        {
            payload = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return WebhookResult.Malformed;
        }

        var changes = payload?["entry"]?.AsArray().SelectMany(e => e?["changes"]?.AsArray() ?? []).Select(c => c?["value"]).OfType<JsonNode>().ToList() ?? [];
        var phoneNumberIds = changes.Select(v => v["metadata"]?["phone_number_id"]?.GetValue<string>()).OfType<string>().Distinct().ToList();
        if (phoneNumberIds.Count != 1)
        {
            return phoneNumberIds.Count == 0 ? WebhookResult.Malformed : WebhookResult.Unauthorized;
        }

        if (await ChannelAsync(ChannelKinds.WhatsApp, phoneNumberIds[0]) is not { } channel)
        {
            return WebhookResult.Unauthorized;
        }

        // Meta signs the bytes it sent: check the raw body, never a re-serialisation of it.
        var appSecret = secrets.Open<WhatsAppSecrets>(channel.Secrets).AppSecret;
        if (!SignatureMatches(body, signature, appSecret))
        {
            return WebhookResult.Unauthorized;
        }

        var rows = new List<InboxRow>();
        foreach (var value in changes)
        {
            var names = value["contacts"]?.AsArray().ToDictionary(
                c => c?["wa_id"]?.GetValue<string>() ?? string.Empty, c => c?["profile"]?["name"]?.GetValue<string>()) ?? [];
            foreach (var message in value["messages"]?.AsArray() ?? [])
            {
                if (message?["id"]?.GetValue<string>() is not { } id || message["from"]?.GetValue<string>() is not { } from)
                {
                    continue;
                }

                var text = TextOf(message);
                if (text is null)
                {
                    continue;
                }

                var sentAt = long.TryParse(message["timestamp"]?.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                    ? DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime
                    : DateTime.UtcNow;
                rows.Add(new InboxRow(ChannelKinds.WhatsApp, id, channel.TenantId,
                    ConversationKey.For(channel.TenantId, ChannelKinds.WhatsApp, from), names.GetValueOrDefault(from), text, sentAt));
            }

            foreach (var status in value["statuses"]?.AsArray() ?? [])
            {
                if (status?["id"]?.GetValue<string>() is { } wamid && status["status"]?.GetValue<string>() is { } state)
                {
                    var at = long.TryParse(status["timestamp"]?.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                        ? DateTimeOffset.FromUnixTimeSeconds(s).UtcDateTime : DateTime.UtcNow;
                    await store.RecordStatusAsync(wamid, state, at, status["errors"]?[0]?["code"]?.ToString());
                }
            }
        }

        await WakeAsync(rows);
        return WebhookResult.Accepted;
    }

    public async Task<WebhookResult> AcceptTelegramAsync(Guid channelId, byte[] body, string? secretToken)
    {
        if (await ChannelAsync(ChannelKinds.Telegram, channelId.ToString()) is not { } channel)
        {
            return WebhookResult.UnknownChannel;
        }

        var expected = secrets.Open<TelegramSecrets>(channel.Secrets).SecretToken;
        if (secretToken is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(secretToken)))
        {
            return WebhookResult.Unauthorized;
        }

        JsonNode? update;
        try
        {
            update = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return WebhookResult.Malformed;
        }

        if (update?["update_id"] is not JsonValue updateId)
        {
            return WebhookResult.Malformed;
        }

        var message = update["message"];
        var callback = update["callback_query"];
        var chatId = (message?["chat"]?["id"] ?? callback?["message"]?["chat"]?["id"])?.ToString();
        var text = message?["text"]?.GetValue<string>() ?? callback?["data"]?.GetValue<string>();
        if (chatId is not null && !string.IsNullOrWhiteSpace(text))
        {
            var sentAt = message?["date"] is JsonValue date ? DateTimeOffset.FromUnixTimeSeconds(date.GetValue<long>()).UtcDateTime : DateTime.UtcNow;
            await WakeAsync([new InboxRow(ChannelKinds.Telegram, $"{channel.Id:N}:{updateId}", channel.TenantId,
                ConversationKey.For(channel.TenantId, ChannelKinds.Telegram, chatId), message?["from"]?["first_name"]?.GetValue<string>(), text, sentAt)]);
        }

        return WebhookResult.Accepted;
    }

    private async Task WakeAsync(IReadOnlyList<InboxRow> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        foreach (var key in await store.InsertInboxAsync(rows))
        {
            await GrainFactory.GetGrain<IConversationGrain>(key).ProcessInboxAsync();
        }

        logger.LogDebug("Stored {Count} inbound message(s)", rows.Count);
    }

    private static bool SignatureMatches(byte[] body, string? header, string appSecret)
    {
        if (header is null || !header.StartsWith("sha256=", StringComparison.Ordinal))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(header["sha256=".Length..]);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body), given);
    }

    /// <summary>What the customer said, as text the agent understands; null for what it cannot read.</summary>
    private static string? TextOf(JsonNode message) => message["type"]?.GetValue<string>() switch
    {
        "text" => message["text"]?["body"]?.GetValue<string>(),
        "interactive" => message["interactive"]?["button_reply"]?["title"]?.GetValue<string>()
            ?? message["interactive"]?["list_reply"]?["title"]?.GetValue<string>(),
        "button" => message["button"]?["text"]?.GetValue<string>(),
        "location" => $"Mi ubicación: {message["location"]?["address"]?.GetValue<string>() ?? $"{message["location"]?["latitude"]}, {message["location"]?["longitude"]}"}",
        "image" => message["image"]?["caption"]?.GetValue<string>() is { Length: > 0 } caption ? caption : "[imagen]",
        _ => null,
    };
}
