package io.agentmediator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class AdvertisedAddressTest {

    @Test
    void shouldAdvertiseLocalhostAndThePortListenedOnForAWildcardHost() {
        assertThat(AdvertisedAddress.of(MediatorConfig.defaults(), 41234)).isEqualTo(new HostInfo("localhost", 41234));
    }

    @Test
    void shouldAdvertiseTheHostListenedOnWhenItIsASpecificAddress() {
        MediatorConfig config = MediatorConfig.defaults().with(ConfigKeys.HTTP_HOST, "127.0.0.1");

        assertThat(AdvertisedAddress.of(config, 8080)).isEqualTo(new HostInfo("127.0.0.1", 8080));
    }

    @Test
    void shouldAdvertiseWhatIsConfiguredWhateverItListensOn() {
        MediatorConfig config = MediatorConfig.defaults().with(ConfigKeys.HTTP_ADVERTISED_ADDRESS, "mediator-1.mediator:8080");

        assertThat(AdvertisedAddress.of(config, 40000)).isEqualTo(new HostInfo("mediator-1.mediator", 8080));
    }

    @Test
    void shouldRefuseAnAdvertisedAddressWithoutAPort() {
        MediatorConfig config = MediatorConfig.defaults().with(ConfigKeys.HTTP_ADVERTISED_ADDRESS, "mediator-1");

        assertThatThrownBy(() -> AdvertisedAddress.of(config, 8080))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http.advertised.address must be host:port");
    }
}
