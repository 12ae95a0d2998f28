using AgenteVendedor.Common;

namespace AgenteVendedor.Channels;

public sealed class ChannelsGrain(ChannelStore store, SecretBox secrets) : Grain, IChannelsGrain
{
    public Task<Outcome<ChannelView>> ConfigureWhatsAppAsync(Actor actor, WhatsAppSettings settings) =>
        store.SaveAsync(this.GetPrimaryKey(), actor, ChannelKinds.WhatsApp, settings.PhoneNumberId,
            secrets.Seal(new WhatsAppSecrets(settings.AccessToken, settings.AppSecret, settings.VerifyToken)));

    public Task<Outcome<ChannelView>> ConfigureTelegramAsync(Actor actor, TelegramSettings settings) =>
        store.SaveAsync(this.GetPrimaryKey(), actor, ChannelKinds.Telegram, null,
            secrets.Seal(new TelegramSecrets(settings.BotToken, settings.SecretToken)));
}

public static class ChannelKinds
{
    public const string WhatsApp = "whatsapp";
    public const string Telegram = "telegram";
    public const string Api = "api";
}
