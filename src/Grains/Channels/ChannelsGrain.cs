using AgenteVendedor.Commerce;
using AgenteVendedor.Common;

namespace AgenteVendedor.Channels;

public sealed class ChannelsGrain(ChannelStore store, SecretBox secrets, WhatsAppNumberCheck numbers, ChannelDirectory directory, CatalogPublisher catalog)
    : Grain, IChannelsGrain
{
    public async Task<Outcome<ChannelView>> ConfigureWhatsAppAsync(Actor actor, WhatsAppSettings settings)
    {
        // Only who holds a token Meta accepts for the number may claim it: nobody can take another business's number first.
        if (await numbers.CheckAsync(settings.PhoneNumberId, settings.AccessToken) is { } refused)
        {
            return refused;
        }

        var value = new WhatsAppSecrets(settings.AccessToken, settings.AppSecret, settings.VerifyToken);
        var outcome = await store.SaveAsync(this.GetPrimaryKey(), actor, ChannelKinds.WhatsApp, settings.PhoneNumberId,
            id => secrets.Seal(id, value), secrets.TokenHash(settings.VerifyToken), settings.WabaId, settings.CatalogId);
        directory.Forget(ChannelKinds.WhatsApp, settings.PhoneNumberId);
        return outcome;
    }

    public async Task<Outcome<ChannelView>> ConfigureTelegramAsync(Actor actor, TelegramSettings settings)
    {
        var value = new TelegramSecrets(settings.BotToken, settings.SecretToken);
        var outcome = await store.SaveAsync(this.GetPrimaryKey(), actor, ChannelKinds.Telegram, null, id => secrets.Seal(id, value), null);
        if (outcome.Value is { } saved)
        {
            directory.Forget(ChannelKinds.Telegram, saved.ExternalId);
        }

        return outcome;
    }

    public async Task<Outcome<CatalogPushSummary>> PublishCatalogAsync(Actor actor)
    {
        if (await store.FindForTenantAsync(this.GetPrimaryKey(), ChannelKinds.WhatsApp) is not { } channel)
        {
            return Problem.Conflict("La empresa no tiene WhatsApp configurado: configúralo con PUT /canales/whatsapp (con catalog_id) antes de publicar el catálogo.");
        }

        if (channel.CatalogId is null)
        {
            return await catalog.PublishAsync(GrainFactory, this.GetPrimaryKey(), actor, channel, "");
        }

        WhatsAppSecrets opened;
        try
        {
            opened = secrets.Open<WhatsAppSecrets>(channel.Secrets);
        }
        catch (SecretUnreadableException)
        {
            return new Problem(ProblemKind.Unavailable, "Los secretos del canal de WhatsApp no se pueden abrir con las claves configuradas; revisa Secrets:Key.", RetryAfterSeconds: 30);
        }

        return await catalog.PublishAsync(GrainFactory, this.GetPrimaryKey(), actor, channel, opened.AccessToken);
    }

    public Task<IReadOnlyList<ChannelView>> ListAsync() => store.ListForTenantAsync(this.GetPrimaryKey());
}

public static class ChannelKinds
{
    public const string WhatsApp = "whatsapp";
    public const string Telegram = "telegram";
    public const string Api = "api";
}
