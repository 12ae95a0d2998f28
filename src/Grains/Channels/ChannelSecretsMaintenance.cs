using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Channels;

/// <summary>
/// Runs when a silo starts: re-seals channel secrets written in the layout before version 1 or under
/// a previous key (Secrets:PreviousKeys) with the current key, bound to their channel, and gives WhatsApp
/// rows without one the HMAC of their verify token. A row that opens with no configured key is left as
/// it is and logged; it does not stop the others or the silo. Idempotent: silos starting together
/// only repeat each other's work, and a row changed meanwhile is not overwritten.
/// </summary>
public sealed class ChannelSecretsMaintenance(ChannelStore store, SecretBox secrets, ILogger<ChannelSecretsMaintenance> logger)
{
    public async Task RunAsync()
    {
        var resealed = 0;
        foreach (var row in await store.NeedingMaintenanceAsync(secrets.CurrentHeader))
        {
            var secret = new SealedSecret(row.Id, row.SealedSecrets);
            try
            {
                var (sealedBytes, tokenHash) = row.Kind == ChannelKinds.WhatsApp
                    ? Reseal(secrets.OpenAnyLayout<WhatsAppSecrets>(secret), row.Id, s => s.VerifyToken)
                    : Reseal(secrets.OpenAnyLayout<TelegramSecrets>(secret), row.Id, _ => null);
                if (await store.ResealAsync(row.Id, row.SealedSecrets, sealedBytes, tokenHash))
                {
                    resealed++;
                }
            }
            catch (SecretUnreadableException e)
            {
                logger.LogError("Channel {ChannelId} ({Kind}) was left as it is: {Reason}", row.Id, row.Kind, e.Message);
            }
        }

        if (resealed > 0)
        {
            logger.LogInformation("Re-sealed the secrets of {Count} channel(s) with the current key", resealed);
        }
    }

    private (byte[] Sealed, byte[]? TokenHash) Reseal<T>(T value, Guid channelId, Func<T, string?> verifyToken) =>
        (secrets.Seal(channelId, value), verifyToken(value) is { } token ? secrets.TokenHash(token) : null);
}
