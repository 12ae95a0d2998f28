using System.Security.Cryptography;
using System.Text;
using AgenteVendedor.Conversations;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace AgenteVendedor.Channels;

/// <summary>
/// Checks a delivery (signature or secret token), turns each message into an inbox row — unique by
/// our channel id and the platform's id, so a repeated delivery stores nothing — and wakes the
/// conversations that got one. It never waits for the answer: the platform gets its 200 at once.
/// Payloads are read by <see cref="WhatsAppPayload"/> and <see cref="TelegramPayload"/>.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class WebhookGrain(ChannelStore store, ChannelDirectory directory, SecretBox secrets, ILogger<WebhookGrain> logger) : Grain, IWebhookGrain
{
    public async Task<string?> VerifyWhatsAppAsync(string? mode, string? verifyToken, string? challenge)
    {
        if (mode != "subscribe" || string.IsNullOrEmpty(verifyToken) || string.IsNullOrEmpty(challenge))
        {
            return null;
        }

        // Meta does not say which phone number the token is for: the channel is found by the token's HMAC.
        return await store.VerifyTokenExistsAsync(secrets.TokenHashes(verifyToken)) ? challenge : null;
    }

    public async Task<WebhookResult> AcceptWhatsAppAsync(byte[] body, string? signature)
    {
        var (delivery, refusal) = WhatsAppPayload.Read(body);
        if (delivery is null)
        {
            return refusal;
        }

        if (await directory.FindAsync(ChannelKinds.WhatsApp, delivery.PhoneNumberId) is not { } channel)
        {
            return WebhookResult.Unauthorized;
        }

        if (Open<WhatsAppSecrets>(channel) is not { } opened)
        {
            return WebhookResult.Unavailable;
        }

        // Meta signs the bytes it sent: check the raw body, never a re-serialisation of it.
        if (!SignatureMatches(body, signature, opened.AppSecret))
        {
            return WebhookResult.Unauthorized;
        }

        var rows = delivery.Messages().Select(m => new InboxRow(ChannelKinds.WhatsApp, $"{channel.Id:N}:{m.MessageId}", channel.TenantId,
            ConversationKey.For(channel.TenantId, ChannelKinds.WhatsApp, m.From), m.SenderName, m.Text, m.SentAt ?? DateTime.UtcNow, m.Kind, m.Payload)).ToList();
        foreach (var status in delivery.Statuses())
        {
            await store.RecordStatusAsync(status.MessageId, status.Status, status.At ?? DateTime.UtcNow, status.ErrorCode);
        }

        await WakeAsync(rows);
        return WebhookResult.Accepted;
    }

    public async Task<WebhookResult> AcceptTelegramAsync(Guid channelId, byte[] body, string? secretToken)
    {
        if (await directory.FindAsync(ChannelKinds.Telegram, channelId.ToString()) is not { } channel)
        {
            return WebhookResult.UnknownChannel;
        }

        if (Open<TelegramSecrets>(channel) is not { } opened)
        {
            return WebhookResult.Unavailable;
        }

        if (secretToken is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(opened.SecretToken), Encoding.UTF8.GetBytes(secretToken)))
        {
            return WebhookResult.Unauthorized;
        }

        var (update, refusal) = TelegramPayload.Read(body);
        if (update is null)
        {
            return refusal;
        }

        if (update.Inbound is { } inbound)
        {
            await WakeAsync([new InboxRow(ChannelKinds.Telegram, $"{channel.Id:N}:{update.UpdateId}", channel.TenantId,
                ConversationKey.For(channel.TenantId, ChannelKinds.Telegram, inbound.ChatId), inbound.SenderName, inbound.Text, inbound.SentAt ?? DateTime.UtcNow,
                inbound.Kind, inbound.Payload)]);
        }

        return WebhookResult.Accepted;
    }

    /// <summary>The channel's secrets, or null (logged) when they do not open: that channel cannot take deliveries until it is fixed.</summary>
    private T? Open<T>(ChannelRecord channel) where T : class
    {
        try
        {
            return secrets.Open<T>(channel.Secrets);
        }
        catch (SecretUnreadableException e)
        {
            logger.LogError("A delivery for channel {ChannelId} was refused: {Reason}", channel.Id, e.Message);
            return null;
        }
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
}
