using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace AgenteVendedor.Panel.Session;

/// <summary>The signed-in user's Api token for the typed clients of one circuit (or one prerendered request).</summary>
public sealed class ApiSession(AuthenticationStateProvider authentication, NavigationManager navigation)
{
    public const string ExpiredPath = "/ingresar?sesion=expirada";

    public async Task<string?> TokenAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return PanelClaims.TokenOf(state.User);
    }

    /// <summary>The Api said 401: the token is no longer good, so the user signs in again.</summary>
    public void Expired()
    {
        try
        {
            navigation.NavigateTo(ExpiredPath, forceLoad: true);
        }
        catch (InvalidOperationException)
        {
            // Outside a page (no navigation yet); the cookie check on the next request sends the user to Ingresar.
        }
    }
}
