package io.agentmediator.topics;

import io.agentmediator.config.ConfigKey;

/**
 * Why a topic's records must carry the broker's time of arrival ({@code message.timestamp.type=LogAppendTime}):
 * the mediator uses their timestamps, and whoever writes the topic would otherwise choose them.
 *
 * @param escapeHatch the key that lets producers stamp the topic instead ({@code CreateTime}), for replaying history
 * @param otherwise   what producers choosing the time would let them do, said when a topic is refused
 */
public record BrokerTime(ConfigKey escapeHatch, String otherwise) {}
