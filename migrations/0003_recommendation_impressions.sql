-- Impressions (issue #22): `widget.js` reports a recommendation strip once it is on screen, one
-- `recommendation_impression` per item shown, with the response's request_id. They are stored
-- for the experiment tables (attributed by request_id like clicks) and nowhere else: the service
-- leaves them out of shopper history, live indexes and popularity (InteractionType.isShopperSignal).
ALTER TABLE interactions DROP CONSTRAINT interactions_type_check;
ALTER TABLE interactions ADD CONSTRAINT interactions_type_check CHECK (type IN
    ('view', 'cart_add', 'cart_remove', 'wishlist_add', 'purchase', 'recommendation_click',
     'recommendation_impression'));
